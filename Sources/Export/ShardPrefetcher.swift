import Foundation
import Prefetch
import RewriteQueue

/// Loads shard N+1 while shard N is being written: reading SQLite and formatting bytes then
/// overlap. At most one loaded shard waits, so memory stays at two shards.
struct ShardPrefetcher: Sendable {
    private let prefetcher: Prefetcher<ShardAssembly>

    init(job: Job, shards: [ShardRecord], column: [Int], styleCount: Int, metadata: Bool) {
        prefetcher = Prefetcher(depth: 1, name: "laclip-export-prefetch") { index in
            guard index < shards.count else { return nil }
            return try ShardAssembly(
                job: job, shard: shards[index], column: column, styleCount: styleCount, metadata: metadata)
        }
    }

    /// The next shard, in order (the caller asks for no more than there are).
    func next() throws -> ShardAssembly {
        guard let shard = try prefetcher.next() else {
            preconditionFailure("asked for more shards than the export has")
        }
        return shard
    }

    func cancel() { prefetcher.cancel() }
}
