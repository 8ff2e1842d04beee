/// Task counts of one shard, as `laclip status` reads them.
public struct ShardProgress: Sendable, Equatable {
    public var shardID: Int
    public var total: Int
    public var done: Int
    public var leased: Int
    public var dead: Int

    public init(shardID: Int, total: Int, done: Int, leased: Int, dead: Int) {
        self.shardID = shardID
        self.total = total
        self.done = done
        self.leased = leased
        self.dead = dead
    }
}

/// Progress of partition `index` of `count` (array task `index`): the shards it owns are those
/// with `shardID % count == index`, the assignment `laclip run --partition` uses.
public struct PartitionProgress: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int
    public var shardIDs: [Int]
    public var total = 0
    public var done = 0
    public var leased = 0
    public var dead = 0

    /// One entry per partition, in order, partitions without shards included (an array with
    /// more tasks than shards).
    public static func table(_ shards: [ShardProgress], partitions count: Int) -> [PartitionProgress] {
        precondition(count >= 1, "a partitioning needs at least one partition")
        var table = (0..<count).map { PartitionProgress(index: $0, count: count, shardIDs: []) }
        for shard in shards.sorted(by: { $0.shardID < $1.shardID }) {
            let index = shard.shardID % count
            table[index].shardIDs.append(shard.shardID)
            table[index].total += shard.total
            table[index].done += shard.done
            table[index].leased += shard.leased
            table[index].dead += shard.dead
        }
        return table
    }

    public var pending: Int { total - done - leased - dead }
    public var isSettled: Bool { done + dead == total }

    /// `partition 1/3 (shards 1,4): 30/40 done (75.0%), 4 in flight, 6 pending, 0 dead`
    public var description: String {
        let shards = shardIDs.isEmpty ? "no shards" : "shard\(shardIDs.count == 1 ? "" : "s") " + Self.ranges(shardIDs)
        // Tenths of a percent in integers: this module links nothing but the standard library.
        let tenths = total > 0 ? (done * 1000 + total / 2) / total : 1000
        return "partition \(index)/\(count) (\(shards)): \(done)/\(total) done (\(tenths / 10).\(tenths % 10)%), "
            + "\(leased) in flight, \(pending) pending, \(dead) dead"
    }

    /// Long id lists stay short: `0,3,6,...,297 (100 shards)`.
    static func ranges(_ ids: [Int]) -> String {
        if ids.count <= 8 { return ids.map(String.init).joined(separator: ",") }
        return ids.prefix(3).map(String.init).joined(separator: ",") + ",...,\(ids.last!) (\(ids.count) shards)"
    }
}
