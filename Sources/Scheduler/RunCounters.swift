import Foundation
import Monitor
import Synchronization

/// Live figures of a run, shared by the shard loop (writer) and the progress printer (reader).
public final class RunCounters: Sendable {
    private let state = Mutex(RunSummary())
    private let startedAt = Date()
    /// Tasks pending in this run's shards and styles when it started.
    let initialPending: Int
    private let inFlightCount = Atomic<Int>(0)
    private let pausedFlag = Atomic<Bool>(false)

    init(initialPending: Int, styleCount: Int) {
        self.initialPending = initialPending
        state.withLock { $0.styleCount = styleCount }
    }

    func update(_ body: (inout RunSummary) -> Void) { state.withLock { body(&$0) } }

    var inFlight: Int {
        get { inFlightCount.load(ordering: .relaxed) }
    }
    func setInFlight(_ n: Int) { inFlightCount.store(n, ordering: .relaxed) }
    func setPaused(_ paused: Bool) { pausedFlag.store(paused, ordering: .relaxed) }

    /// A consistent copy, with elapsed time filled in.
    public func snapshot() -> RunProgress {
        let summary = state.withLock { $0 }
        var copy = summary
        copy.seconds = Date().timeIntervalSince(startedAt)
        return RunProgress(
            summary: copy, initialPending: initialPending, inFlight: inFlight,
            paused: pausedFlag.load(ordering: .relaxed))
    }
}

/// What the live progress line shows.
public struct RunProgress: Sendable {
    public var summary: RunSummary
    public var initialPending: Int
    public var inFlight: Int
    public var paused: Bool

    public var line: String {
        let done = summary.completed
        let rate = summary.rewritesPerSecond
        let left = max(initialPending - done - summary.deadLettered, 0)
        let eta = rate > 0 ? DurationText.format(Double(left) / rate) : "?"
        let failures = summary.failedByReason.values.reduce(0, +)
        let percent = initialPending > 0 ? Double(done) / Double(initialPending) * 100 : 100
        return
            "\(paused ? "PAUSED (all endpoints down) " : "")\(done)/\(initialPending) rewrites (\(String(format: "%.1f", percent))%) "
            + "\(String(format: "%.2f", rate)) rewrites/s, \(String(format: "%.1f", summary.completionTokensPerSecond)) tok/s, "
            + "in flight \(inFlight), failed \(failures), dead \(summary.deadLettered), ETA \(eta)"
    }
}
