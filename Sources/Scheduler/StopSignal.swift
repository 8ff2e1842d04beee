import Synchronization

/// Set once on the first Ctrl-C: stop claiming, let in-flight requests finish for a grace
/// period, release the rest. (The second Ctrl-C is the CLI's business: it exits at once.)
public final class StopSignal: Sendable {
    private let requested = Atomic<Bool>(false)

    public init() {}

    public func request() { requested.store(true, ordering: .sequentiallyConsistent) }
    public var isRequested: Bool { requested.load(ordering: .sequentiallyConsistent) }

    /// Returns once a stop has been requested (polling: a signal handler cannot resume tasks).
    func wait() async {
        while !isRequested {
            if Task.isCancelled { return }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
