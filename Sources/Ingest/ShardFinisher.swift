import Dispatch
import RewriteQueue
import Synchronization

/// Finishes shard builders one after another on a background thread, keeping the first error.
final class ShardFinisher: Sendable {
    private let queue = DispatchQueue(label: "laclip.enqueue.finisher")
    private let group = DispatchGroup()
    private let firstError = Mutex<(any Error)?>(nil)

    func finish(_ builder: ShardBuilder) {
        let box = UncheckedBox(builder)
        queue.async(group: group) {
            guard self.firstError.withLock({ $0 == nil }) else { return }
            do { try box.value.finish() } catch { self.firstError.withLock { $0 = $0 ?? error } }
        }
    }

    func wait() throws {
        group.wait()
        if let error = firstError.withLock({ $0 }) { throw error }
    }
}

/// Hands a non-Sendable builder to the finisher thread; the enqueue loop never touches it again.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
