import Foundation

/// The number of requests to keep in flight. Fixed, or tuned by hill climbing on completed
/// rewrites per second: each step is held for a measuring window, a step that does not beat
/// the best rate by 3% is undone, and the search stops after two failed steps in a row.
final class ConcurrencyController: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Int
    private let tuning: Bool
    private let ceiling: Int
    private var best: (level: Int, rate: Double) = (0, 0)
    private var windowStart = Date()
    private var windowCompletions = 0
    private var failedSteps = 0
    private var direction = 1
    private(set) var history: [(level: Int, rate: Double)] = []

    init(setting: ConcurrencySetting, slots: Int) {
        switch setting {
        case .fixed(let n):
            current = max(1, n)
            tuning = false
            ceiling = current
        case .auto:
            current = max(1, slots)
            tuning = true
            ceiling = max(4, slots * 4)
        }
    }

    var level: Int { lock.withLock { current } }

    /// Called for every completed rewrite.
    func recordCompletion(now: Date = Date()) {
        lock.withLock {
            guard tuning, failedSteps < 2 else { return }
            windowCompletions += 1
            let elapsed = now.timeIntervalSince(windowStart)
            // A window long enough to smooth out per-request noise at any speed.
            guard windowCompletions >= max(4 * current, 12), elapsed >= 3 else { return }
            let rate = Double(windowCompletions) / elapsed
            history.append((current, rate))
            if rate > best.rate * 1.03 {
                best = (current, rate)
                failedSteps = 0
            } else {
                failedSteps += 1
                direction = -direction
                current = best.level
            }
            if failedSteps < 2 {
                let step = max(1, current / 4)
                current = min(ceiling, max(1, current + direction * step))
            }
            windowStart = now
            windowCompletions = 0
        }
    }
}
