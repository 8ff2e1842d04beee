import Foundation
import Inference
import Logging
import Synchronization

/// The number of requests to keep in flight: fixed, or `--concurrency auto`, where an
/// `InFlightTuner` decides (never below the servers' slot count; see its documentation).
/// Shared by the shard loop (completions) and the server-queue poller (readings).
final class ConcurrencyController: Sendable {
    private let tuner: Mutex<InFlightTuner>
    /// nil: `--concurrency auto`.
    private let fixed: Int?
    private let logger: Logger

    init(setting: ConcurrencySetting, slots: Int, logger: Logger = Logger(label: "laclip.concurrency")) {
        self.logger = logger
        tuner = Mutex(InFlightTuner(slots: slots))
        switch setting {
        case .fixed(let n): fixed = max(1, n)
        case .auto: fixed = nil
        }
    }

    var isTuning: Bool { fixed == nil }
    var level: Int { fixed ?? tuner.withLock { $0.level } }

    /// Called for every completed rewrite.
    func recordCompletion() {
        guard isTuning else { return }
        let now = Self.now()
        let (change, level) = tuner.withLock { ($0.recordCompletion(now: now), $0.level) }
        if let change { log(change, level: level) }
    }

    /// Called with each reading of the servers' queues (`/metrics`).
    func observe(_ load: ServerLoad, inFlight: Int) {
        guard isTuning else { return }
        let now = Self.now()
        let (change, level) = tuner.withLock { ($0.observe(load, inFlight: inFlight, now: now), $0.level) }
        if let change { log(change, level: level) }
    }

    private func log(_ change: InFlightTuner.Change, level: Int) {
        let why: String
        switch change {
        case .climb(let rate): why = String(format: "climbing after %.2f requests/s", rate)
        case .revert(let rate, let best):
            why = String(format: "back to the best level (%.2f requests/s, best %.2f)", rate, best)
        case .retune(let rate, let reference):
            why = String(format: "rate moved to %.2f requests/s from %.2f: searching again", rate, reference)
        case .queue(let load): why = "server queue: \(load.running) running, \(load.waiting) waiting"
        case .floorRaised(let slots): why = "the server has \(slots) slots busy with requests waiting"
        }
        logger.info("concurrency \(level): \(why)")
    }

    private static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
