import Foundation

/// An enqueued job: its manifest, its definition and its registered shards.
public final class Job: Sendable {
    public let layout: JobLayout
    public let manifest: JobManifest
    public let definition: JobDefinition
    public let shards: [ShardRecord]
    public var styles: [StyleRecord] { definition.styles }

    public init(directory: URL, readonly: Bool = false) throws {
        layout = JobLayout(directory: directory)
        manifest = try JobManifest(layout: layout, readonly: readonly)
        definition = try manifest.definition()
        shards = try manifest.shards()
    }

    public func openShard(_ shard: ShardRecord, readonly: Bool = false) throws -> ShardQueue {
        try ShardQueue(url: layout.shard(named: shard.file), readonly: readonly)
    }

    public func style(named name: String) throws -> StyleRecord { try definition.style(named: name) }

    /// The shards `partition` works, in id order.
    public func shards(in partition: Partition) -> [ShardRecord] { shards.filter { partition.owns(shard: $0.id) } }

    /// Task counts summed over every shard.
    public func counts() throws -> StateCounts {
        var total = StateCounts()
        for shard in shards { total.add(try openShard(shard, readonly: true).counts()) }
        return total
    }

    public func shard(containing caption: Int64) -> ShardRecord? {
        shards.first { caption >= $0.firstCaption && caption < $0.firstCaption + Int64($0.captions) }
    }
}
