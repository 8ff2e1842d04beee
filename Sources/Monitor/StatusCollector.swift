import Foundation
import RewriteQueue

/// Reads a job's state for `laclip status`. Everything is read through read-only
/// connections: shard files are WAL, so these reads never wait for a worker nor make one wait.
/// The kept counters give the bars; the few scans (results for throughput, leases, the failure
/// log) run only where the counters say there is something to find.
public final class StatusCollector {
    public let directory: URL
    /// The throughput window.
    public static let window: Millis = 60_000
    public static let deadExamples = 5
    public static let failureReasons = 5

    /// Per shard, the counters and result activity of the previous collection (`--watch`): a
    /// shard whose counters did not move has the same results, so its scan is skipped unless
    /// some of them are still inside the window.
    private var activityCache: [String: (counts: StateCounts, activity: ResultActivity, windowStart: Millis)] = [:]

    public init(directory: URL) { self.directory = directory }

    public func collect(now: Millis = WallClock.now()) throws -> StatusReport {
        let job = try Job(directory: directory, readonly: true)
        let styleNames = Dictionary(uniqueKeysWithValues: job.styles.map { ($0.index, $0.name) })
        func styleName(_ index: Int) -> String { styleNames[index] ?? "style \(index)" }
        let owners = try job.manifest.shardOwners().filter { $0.expiresAt > now }
        let ownerByShard = Dictionary(owners.map { ($0.shardID, $0.owner) }, uniquingKeysWith: { a, _ in a })

        let windowStart = now - Self.window
        var totals = StateCounts()
        var shards: [ShardStatus] = []
        var activity = ResultActivity()
        var leases: [String: LeaseHolding] = [:]
        var failures: [String: FailureReasonCount] = [:]
        var deadByReason: [String: Int] = [:]
        var deadExamples: [DeadTaskExample] = []
        var failedAttempts = 0
        var fidelity: [Int: StyleFidelity] = [:]

        for shard in job.shards {
            let queue = try job.openShard(shard, readonly: true)
            let counts = try queue.counts()
            totals.add(counts)
            shards.append(
                ShardStatus(
                    id: shard.id, file: shard.file, firstCaption: shard.firstCaption, captions: shard.captions,
                    done: counts.total(.done), inFlight: counts.total(.leased), pending: counts.total(.pending),
                    dead: counts.total(.dead), total: counts.total, owner: ownerByShard[shard.id]))

            if counts.total(.done) > 0 {
                if let cached = activityCache[shard.file], cached.counts == counts,
                    (cached.activity.lastCompletedAt ?? 0) < windowStart
                {
                    var reused = cached.activity
                    reused.recentResults = 0
                    reused.recentPromptTokens = 0
                    reused.recentCompletionTokens = 0
                    activity.add(reused)
                } else {
                    let fresh = try queue.resultActivity(since: windowStart)
                    activityCache[shard.file] = (counts, fresh, windowStart)
                    activity.add(fresh)
                }
            }
            if counts.total(.leased) > 0 {
                for holding in try queue.leaseHoldings(now: now) {
                    var merged =
                        leases[holding.owner]
                        ?? LeaseHolding(owner: holding.owner, leases: 0, expired: 0, latestExpiry: 0)
                    merged.leases += holding.leases
                    merged.expired += holding.expired
                    merged.latestExpiry = max(merged.latestExpiry, holding.latestExpiry)
                    leases[holding.owner] = merged
                }
            }
            // Failed attempts leave a retried task pending or dead, or succeed later: only the
            // log knows. It is small next to the results, so it is always read.
            for reason in try queue.failureReasons() {
                failedAttempts += reason.count
                if var known = failures[reason.reason] {
                    known.count += reason.count
                    known.permanent += reason.permanent
                    if reason.example.at >= known.example.at { known.example = reason.example }
                    failures[reason.reason] = known
                } else {
                    failures[reason.reason] = reason
                }
            }
            if counts.total(.done) > 0 {
                for (style, figures) in try queue.fidelity() { fidelity[style, default: StyleFidelity()].add(figures) }
            }
            if counts.total(.dead) > 0 {
                let dead = try queue.deadTasks(examples: max(0, Self.deadExamples - deadExamples.count))
                deadByReason.merge(dead.byReason, uniquingKeysWith: +)
                deadExamples += dead.examples
            }
        }

        let byStyle: [StyleTotals] = job.styles.map { style in
            StyleTotals(
                style: style.name, done: totals[style.index, .done], inFlight: totals[style.index, .leased],
                pending: totals[style.index, .pending], dead: totals[style.index, .dead],
                total: TaskState.allCases.reduce(0) { $0 + totals[style.index, $1] })
        }

        var taskTotals = TaskTotals()
        taskTotals.done = totals.total(.done)
        taskTotals.inFlight = totals.total(.leased)
        taskTotals.pending = totals.total(.pending)
        taskTotals.dead = totals.total(.dead)
        taskTotals.total = totals.total

        let styleCount = max(1, job.styles.count)
        let recentSeconds = Double(now - max(windowStart, activity.firstCompletedAt ?? windowStart)) / 1000
        let recent = Self.rates(
            seconds: recentSeconds, rewrites: activity.recentResults,
            tokens: activity.recentPromptTokens + activity.recentCompletionTokens,
            completionTokens: activity.recentCompletionTokens, styles: styleCount)
        let spanSeconds = Double((activity.lastCompletedAt ?? 0) - (activity.firstCompletedAt ?? 0)) / 1000
        let sinceStart = Self.rates(
            seconds: spanSeconds, rewrites: activity.results,
            tokens: activity.promptTokens + activity.completionTokens,
            completionTokens: activity.completionTokens, styles: styleCount)

        let workers = Self.workers(owners: owners, leases: leases, now: now)
        let remaining = taskTotals.pending + taskTotals.inFlight
        var eta: Double?
        if remaining == 0 {
            eta = 0
        } else if let rate = recent.rewritesPerSecond, rate > 0 {
            eta = Double(remaining) / rate
        } else if !workers.isEmpty, let rate = sinceStart.rewritesPerSecond, rate > 0 {
            eta = Double(remaining) / rate
        }

        return StatusReport(
            generatedAt: now, job: job.layout.directory.path, styles: job.styles.map(\.name),
            captions: job.shards.reduce(0) { $0 + $1.captions }, totals: taskTotals, byStyle: byStyle, shards: shards,
            throughput: Throughput(
                recent: recent, sinceStart: sinceStart, firstCompletedAt: activity.firstCompletedAt,
                lastCompletedAt: activity.lastCompletedAt, promptTokens: activity.promptTokens,
                completionTokens: activity.completionTokens),
            etaSeconds: eta, workers: workers,
            staleLeases: leases.values.reduce(0) { $0 + $1.expired },
            failures: FailureSummary(
                attempts: failedAttempts,
                reasons: failures.values.sorted { ($0.count, $1.reason) > ($1.count, $0.reason) }.prefix(
                    Self.failureReasons
                ).map {
                    FailureReason(
                        reason: $0.reason, count: $0.count, permanent: $0.permanent,
                        example: FailureExampleStatus(
                            captionId: $0.example.caption, style: styleName($0.example.style),
                            attempt: $0.example.attempt,
                            detail: $0.example.detail, worker: $0.example.worker, at: $0.example.at))
                }),
            dead: DeadSummary(
                total: taskTotals.dead,
                byReason: deadByReason.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map {
                    ReasonCount(reason: $0.key, count: $0.value)
                },
                examples: deadExamples.map {
                    DeadExample(
                        captionId: $0.caption, style: styleName($0.style), failures: $0.failures,
                        lastReason: $0.lastReason, caption: $0.captionText)
                }),
            complete: remaining == 0,
            fidelity: job.styles.map { style in
                let f = fidelity[style.index] ?? StyleFidelity()
                return StyleFidelityStatus(
                    style: style.name, scored: f.scored, median: f.quantile(0.5), p10: f.quantile(0.1),
                    belowThreshold: f.belowThreshold, resampledTasks: f.resampledTasks,
                    resamples: f.resamples, contentResamples: f.contentResamples)
            })
    }

    static func rates(seconds: Double, rewrites: Int, tokens: Int, completionTokens: Int, styles: Int) -> Rates {
        guard seconds >= 1 else {
            return Rates(
                seconds: max(0, seconds), rewrites: rewrites, rewritesPerSecond: nil, captionsPerSecond: nil,
                tokensPerSecond: nil, completionTokensPerSecond: nil)
        }
        let perSecond = Double(rewrites) / seconds
        return Rates(
            seconds: seconds, rewrites: rewrites, rewritesPerSecond: perSecond,
            captionsPerSecond: perSecond / Double(styles), tokensPerSecond: Double(tokens) / seconds,
            completionTokensPerSecond: Double(completionTokens) / seconds)
    }

    /// Live workers: owners of unexpired shard leases and holders of unexpired task leases.
    static func workers(owners: [ShardOwner], leases: [String: LeaseHolding], now: Millis) -> [WorkerStatus] {
        var workers: [String: WorkerStatus] = [:]
        for owner in owners {
            var worker =
                workers[owner.owner]
                ?? WorkerStatus(
                    owner: owner.owner, host: owner.host, pid: Int(owner.pid),
                    shards: [], leases: 0, expiresAt: 0)
            worker.shards.append(owner.shardID)
            worker.expiresAt = max(worker.expiresAt, owner.expiresAt)
            workers[owner.owner] = worker
        }
        for holding in leases.values where holding.latestExpiry > now {
            var worker =
                workers[holding.owner]
                ?? WorkerStatus(owner: holding.owner, host: nil, pid: nil, shards: [], leases: 0, expiresAt: 0)
            worker.leases = holding.leases - holding.expired
            worker.expiresAt = max(worker.expiresAt, holding.latestExpiry)
            workers[holding.owner] = worker
        }
        return workers.values.sorted { $0.owner < $1.owner }
    }
}
