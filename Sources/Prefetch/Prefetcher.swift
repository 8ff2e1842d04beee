import Dispatch
import Foundation
import Synchronization

/// Builds elements 0, 1, 2, ... on a thread of its own, at most `depth` ahead of the consumer,
/// so building the next element (reading SQLite, decoding images) overlaps with using this one
/// while memory stays at `depth + 1` elements. A dedicated thread rather than a task: building
/// blocks on disk and CPU for long stretches, which would starve the cooperative pool.
///
/// `produce` returns nil when there is nothing more; an element that throws is handed over as
/// the last one (the consumer's `next()` rethrows it).
public final class Prefetcher<Element: Sendable>: Sendable {
    /// What the building thread and the consumer share; the thread holds it rather than the
    /// prefetcher, so releasing the prefetcher stops the thread.
    private final class Channel: Sendable {
        let ready = Mutex<(elements: [Result<Element, any Error>?], cancelled: Bool)>(([], false))
        /// Free places ahead of the consumer; the thread waits on it before building.
        let space = DispatchSemaphore(value: 0)
        /// Elements (or the end) ready to hand over.
        let available = DispatchSemaphore(value: 0)

        init(depth: Int) {
            // Created at 0 and raised here, not created at `depth`: libdispatch traps when a
            // semaphore is released below its initial value, which is where a consumer that
            // stops early (or a cancel) leaves `space`.
            for _ in 0..<max(1, depth) { space.signal() }
        }
    }

    private let channel: Channel

    public init(
        depth: Int, name: String, stackSize: Int = 1 << 20, produce: @escaping @Sendable (Int) throws -> Element?
    ) {
        let channel = Channel(depth: depth)
        self.channel = channel
        let thread = Thread {
            var index = 0
            while true {
                channel.space.wait()
                if channel.ready.withLock({ $0.cancelled }) { return }
                let built: Result<Element, any Error>?
                do { built = try produce(index).map { .success($0) } } catch { built = .failure(error) }
                channel.ready.withLock { $0.elements.append(built) }
                channel.available.signal()
                guard case .some(.success) = built else { return }
                index += 1
            }
        }
        thread.name = name
        thread.stackSize = stackSize
        thread.start()
    }

    /// The next element in order, waiting for it if need be; nil after the last.
    public func next() throws -> Element? {
        channel.available.wait()
        let element = channel.ready.withLock { ready in
            let first = ready.elements[0]
            // The end (or a failure) stays in place, so every later call sees it too.
            if case .some(.success) = first { ready.elements.removeFirst() }
            return first
        }
        if case .some(.success) = element { channel.space.signal() } else { channel.available.signal() }
        return try element?.get()
    }

    /// Stops building once the element under way is done.
    public func cancel() {
        channel.ready.withLock { $0.cancelled = true }
        channel.space.signal()
    }

    deinit { cancel() }
}
