import Dispatch

/// Where async code runs SQLite calls. They block: a write may wait up to the busy timeout
/// (30 s) on another process's lock, and a claim or a commit takes milliseconds of disk. The
/// cooperative pool has one thread per core, so a call blocked there stalls every task's
/// continuation with it (answers arriving, the ownership heartbeat, Ctrl-C). A queue made
/// here targets Dispatch's overcommitting root queue, which starts another thread rather than
/// let queued work wait behind a blocked one.
public enum Blocking {
    private static let queue = DispatchQueue(label: "laclip.sqlite", attributes: .concurrent)

    /// Runs `body` on a thread outside the cooperative pool and resumes with its result.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result(catching: body)) }
        }
    }
}
