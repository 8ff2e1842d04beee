import Monitor
import Testing

@Suite("progress per partition")
struct PartitionProgressTests {
    @Test func shardsGroupByIdModuloCount() {
        let shards = (0..<7).map { ShardProgress(shardID: $0, total: 10, done: $0, leased: 1, dead: $0 == 6 ? 2 : 0) }
        let table = PartitionProgress.table(shards.reversed(), partitions: 3)
        #expect(table.map(\.shardIDs) == [[0, 3, 6], [1, 4], [2, 5]])
        #expect(table.map(\.total) == [30, 20, 20])
        #expect(table.map(\.done) == [9, 5, 7])
        #expect(table[0].pending == 30 - 9 - 3 - 2)
        #expect(
            table[0].description == "partition 0/3 (shards 0,3,6): 9/30 done (30.0%), 3 in flight, 16 pending, 2 dead")
    }

    @Test func morePartitionsThanShardsLeavesEmptyOnes() {
        let table = PartitionProgress.table(
            [ShardProgress(shardID: 0, total: 4, done: 4, leased: 0, dead: 0)], partitions: 3)
        #expect(table.count == 3)
        #expect(table[0].isSettled)
        #expect(table[2].shardIDs.isEmpty && table[2].isSettled)
        #expect(table[2].description == "partition 2/3 (no shards): 0/0 done (100.0%), 0 in flight, 0 pending, 0 dead")
    }

    @Test func longShardListsAreAbbreviated() {
        let shards = (0..<300).map { ShardProgress(shardID: $0, total: 1, done: 0, leased: 0, dead: 0) }
        let row = PartitionProgress.table(shards, partitions: 3)[2]
        #expect(row.description.hasPrefix("partition 2/3 (shards 2,5,8,...,299 (100 shards)): 0/100 done"))
    }
}
