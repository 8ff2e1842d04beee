import Foundation
import Inference
import Logging
import RewriteQueue

/// Works one shard the process owns: keeps `concurrency.level` requests in flight, refilling
/// the moment one finishes, and stores every outcome in its own transaction as it arrives, so
/// a kill at any moment loses nothing that was finished.
struct ShardRunner: Sendable {
    let queue: ShardQueue
    let worker: WorkerIdentity
    let styles: Set<Int>?
    let rewriter: TaskRewriter
    let pool: EndpointPool
    let concurrency: ConcurrencyController
    let counters: RunCounters
    let stop: StopSignal
    let options: RunOptions
    let logger: Logger

    private enum Event: Sendable {
        case outcome(TaskOutcome)
        case graceExpired
    }

    /// Returns when the shard has no claimable task left, or after a stop.
    ///
    /// Tasks whose last attempt lost its worker (`worker_lost`) go first, one at a time with
    /// nothing else in flight: if the worker dies again, only that task is charged, so a
    /// caption that crashes workers is dead-lettered after `maxAttempts` while the tasks that
    /// merely shared its worker finish. Only tasks about to be sent are claimed, for the same
    /// reason: a lease held for a request not yet sent would be charged to an innocent task.
    func run() async throws {
        var buffer: [ClaimedTask] = []
        var inFlight = 0
        var drained = false
        // Where the next look for lost-worker tasks starts; nil once there are none left.
        var lostFrom: Int64? = 0
        var leasesRenewed = ContinuousClock.now
        try await withThrowingTaskGroup(of: Event.self) { group in
            group.addTask {
                await stop.wait()
                if Task.isCancelled { return .graceExpired }
                try? await Task.sleep(for: options.drainGrace)
                return .graceExpired
            }
            while true {
                if !stop.isRequested && !drained {
                    if let from = lostFrom, inFlight == 0 {
                        if buffer.isEmpty,
                            let task = try await Blocking.run({ [queue, worker, options, styles] in
                                try queue.claimLost(
                                    from: from, owner: worker.owner, leaseMillis: options.leaseMillis, styles: styles)
                            })
                        {
                            lostFrom = task.row + 1
                            logger.info(
                                "task \(task.id) lost its worker before: running it alone (attempt \(task.attempt))")
                            buffer.append(task)
                        } else if buffer.isEmpty {
                            lostFrom = nil
                        }
                        if let task = buffer.first {
                            buffer.removeFirst()
                            inFlight += 1
                            group.addTask { .outcome(await rewriter.rewrite(task)) }
                        }
                    }
                    if lostFrom == nil {
                        let wanted = concurrency.level - inFlight
                        if wanted > 0 && buffer.count < wanted {
                            let limit = wanted - buffer.count
                            let more = try await Blocking.run { [queue, worker, options, styles] in
                                try queue.claim(
                                    limit: limit, owner: worker.owner, leaseMillis: options.leaseMillis, styles: styles)
                            }
                            if more.isEmpty { drained = true }
                            buffer += more
                        }
                        while inFlight < concurrency.level, !buffer.isEmpty {
                            let task = buffer.removeFirst()
                            inFlight += 1
                            group.addTask { .outcome(await rewriter.rewrite(task)) }
                        }
                    }
                }
                counters.setInFlight(inFlight)
                if inFlight == 0 && (drained || stop.isRequested) { break }
                if ContinuousClock.now - leasesRenewed > .milliseconds(options.leaseMillis / 3) {
                    try await Blocking.run { [queue, worker, options] in
                        try queue.renewLeases(owner: worker.owner, leaseMillis: options.leaseMillis)
                    }
                    leasesRenewed = ContinuousClock.now
                }
                guard let event = try await group.next() else { break }
                switch event {
                case .graceExpired:
                    // Requests still running after the grace period are cancelled; their tasks
                    // are released below.
                    group.cancelAll()
                case .outcome(let outcome):
                    inFlight -= 1
                    if case .released(let task, let allDown) = outcome, allDown, !stop.isRequested {
                        buffer.insert(task, at: 0)
                        try await pauseUntilAvailable()
                    } else {
                        try await store(outcome)
                    }
                }
            }
            group.cancelAll()
        }
        counters.setInFlight(0)
        // Claimed but never attempted (shutdown) or cut short: back to pending, no attempt spent.
        try await Blocking.run { [queue, worker] in try queue.release(owner: worker.owner) }
    }

    private func pauseUntilAvailable() async throws {
        counters.setPaused(true)
        logger.warning("every inference endpoint is down: pausing (no attempts are spent) until one answers")
        while !stop.isRequested {
            do {
                try await pool.waitUntilAvailable(timeout: .seconds(1))
                break
            } catch let error as InferenceError where error.kind == .allEndpointsDown {
                // The next probe is later than the timeout: wait a little and look again (short
                // waits keep Ctrl-C responsive).
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        counters.setPaused(false)
        if !stop.isRequested { logger.info("an endpoint is back: resuming") }
    }

    /// Stores off the cooperative pool (see `Blocking`); the counters are updated after.
    private func store(_ outcome: TaskOutcome) async throws {
        switch outcome {
        case .done(let result, let resamples):
            let accepted = try await Blocking.run { [queue, worker] in
                try queue.complete([result], worker: worker.owner)
            }
            if accepted.isEmpty {
                logger.warning("result of task \(result.id) arrived after its lease was lost; dropped")
                return
            }
            concurrency.recordCompletion()
            counters.update {
                $0.completed += 1
                $0.resamples += resamples
                $0.contentResamples += result.contentResamples
                if let score = result.fidelity, let threshold = result.minFidelity, score < threshold {
                    $0.belowThreshold += 1
                }
                $0.promptTokens += result.promptTokens
                $0.completionTokens += result.completionTokens
            }
        case .failed(let failure, let resamples):
            let outcome = try await Blocking.run { [queue, worker, options] in
                try queue.fail([failure], maxAttempts: options.maxAttempts, worker: worker.owner)
            }
            counters.update {
                $0.failedByReason[failure.reason, default: 0] += 1
                $0.deadLettered += outcome.deadLettered
                $0.resamples += resamples
            }
            if outcome.deadLettered > 0 {
                logger.warning("task \(failure.id) dead-lettered: \(failure.reason): \(failure.detail)")
            }
        case .released:
            break
        }
    }
}
