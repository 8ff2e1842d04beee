import RewriteQueue

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

    public init(shardID: Int, counts: StateCounts) {
        self.init(
            shardID: shardID, total: counts.total, done: counts.total(.done), leased: counts.total(.leased),
            dead: counts.total(.dead))
    }
}

/// Progress of one partition (array task `index`): the shards `Partition` assigns it, the ones
/// `laclip run --partition I/N` works.
public struct PartitionProgress: Sendable, Equatable, CustomStringConvertible {
    public var partition: Partition
    public var shardIDs: [Int] = []
    public var total = 0
    public var done = 0
    public var leased = 0
    public var dead = 0

    public init(partition: Partition) { self.partition = partition }

    /// One entry per partition, in order, partitions without shards included (an array with
    /// more tasks than shards).
    public static func table(_ shards: [ShardProgress], partitions count: Int) -> [PartitionProgress] {
        Partition.every(of: count).map { partition in
            var row = PartitionProgress(partition: partition)
            for shard in shards.sorted(by: { $0.shardID < $1.shardID }) where partition.owns(shard: shard.shardID) {
                row.shardIDs.append(shard.shardID)
                row.total += shard.total
                row.done += shard.done
                row.leased += shard.leased
                row.dead += shard.dead
            }
            return row
        }
    }

    /// The table for a job, from each shard's counts (read-only, like the rest of `status`).
    public static func table(of job: Job, partitions count: Int) throws -> [PartitionProgress] {
        let shards = try job.shards.map {
            ShardProgress(shardID: $0.id, counts: try job.openShard($0, readonly: true).counts())
        }
        return table(shards, partitions: count)
    }

    public var pending: Int { total - done - leased - dead }
    public var isSettled: Bool { done + dead == total }

    /// `partition 1/3 (shards 1,4): 30/40 done (75.0%), 4 in flight, 6 pending, 0 dead`
    public var description: String {
        let shards = shardIDs.isEmpty ? "no shards" : "shard\(shardIDs.count == 1 ? "" : "s") " + Self.ranges(shardIDs)
        let tenths = total > 0 ? (done * 1000 + total / 2) / total : 1000
        return "partition \(partition) (\(shards)): \(done)/\(total) done (\(tenths / 10).\(tenths % 10)%), "
            + "\(leased) in flight, \(pending) pending, \(dead) dead"
    }

    /// Long id lists stay short: `0,3,6,...,297 (100 shards)`.
    static func ranges(_ ids: [Int]) -> String {
        if ids.count <= 8 { return ids.map(String.init).joined(separator: ",") }
        return ids.prefix(3).map(String.init).joined(separator: ",") + ",...,\(ids.last!) (\(ids.count) shards)"
    }
}
