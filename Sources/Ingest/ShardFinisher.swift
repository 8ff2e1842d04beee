import Dispatch
import RewriteQueue

/// Finishes shard builders one after another on a background thread, keeping the first error.
final class ShardFinisher: @unchecked Sendable {
    private let queue = DispatchQueue(label: "laclip.enqueue.finisher")
    private let group = DispatchGroup()
    // Written on `queue`, read after `group.wait()`.
    private var firstError: Error?

    func finish(_ builder: ShardBuilder) {
        let box = UncheckedBox(builder)
        queue.async(group: group) {
            guard self.firstError == nil else { return }
            do { try box.value.finish() } catch { self.firstError = error }
        }
    }

    func wait() throws {
        group.wait()
        if let firstError { throw firstError }
    }
}

/// Hands a non-Sendable builder to the finisher thread; the enqueue loop never touches it again.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
