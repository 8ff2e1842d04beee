import Foundation

/// An enqueued job: its manifest and its registered shards.
public final class Job: Sendable {
    public let layout: JobLayout
    public let manifest: JobManifest
    public let shards: [ShardRecord]
    public let styles: [StyleRecord]

    public init(directory: URL, readonly: Bool = false) throws {
        layout = JobLayout(directory: directory)
        manifest = try JobManifest(layout: layout, readonly: readonly)
        shards = try manifest.shards()
        styles = try manifest.styles()
    }

    public func openShard(_ shard: ShardRecord, readonly: Bool = false) throws -> ShardQueue {
        try ShardQueue(url: layout.shard(named: shard.file), readonly: readonly)
    }

    public func style(named name: String) throws -> StyleRecord {
        guard let style = styles.first(where: { $0.name == name }) else {
            throw QueueError("style '\(name)' is not in this job (it has: \(styles.map(\.name).joined(separator: ", ")))")
        }
        return style
    }

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
