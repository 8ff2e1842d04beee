import Foundation
import RewriteQueue

/// Loads shard N+1 on a second thread while shard N is being written: reading SQLite and
/// formatting bytes then overlap. At most one loaded shard waits, so memory stays at two
/// shards.
final class ShardPrefetcher: @unchecked Sendable {
    private let lock = NSCondition()
    private var ready: [Result<ShardAssembly, any Error>] = []
    private var cancelled = false
    private var thread: Thread?

    init(job: Job, shards: [ShardRecord], column: [Int], styleCount: Int, metadata: Bool) {
        let thread = Thread { [self] in
            for shard in shards {
                let loaded = Result { try ShardAssembly(job: job, shard: shard, column: column, styleCount: styleCount, metadata: metadata) }
                lock.lock()
                while ready.count >= 1 && !cancelled { lock.wait() }
                if cancelled {
                    lock.unlock()
                    return
                }
                ready.append(loaded)
                lock.broadcast()
                lock.unlock()
                if case .failure = loaded { return }
            }
        }
        thread.stackSize = 1 << 20
        self.thread = thread
        thread.start()
    }

    /// The next shard, in order.
    func next() throws -> ShardAssembly {
        lock.lock()
        while ready.isEmpty { lock.wait() }
        let loaded = ready.removeFirst()
        lock.broadcast()
        lock.unlock()
        return try loaded.get()
    }

    func cancel() {
        lock.lock()
        cancelled = true
        lock.broadcast()
        lock.unlock()
    }
}
