import Foundation
import Inference
import Logging
import Prompting
import RewriteQueue
import Synchronization

/// `laclip run`: connects to the inference servers, then works the job shard by shard, owning
/// each shard while it works it, until no claimable task is left (or, with `untilIdle`, until
/// the whole job is settled, other processes' shards included).
public struct RewriteRunner: Sendable {
    public let options: RunOptions
    public let logger: Logger
    public let stop: StopSignal
    /// Completion clients to use instead of connecting to `options.servers`: the seam through
    /// which in-process tests hand the runner scripted servers. nil in production.
    private let clients: [any CompletionClient]?

    public init(options: RunOptions, logger: Logger, stop: StopSignal = StopSignal()) {
        self.init(options: options, logger: logger, stop: stop, clients: nil)
    }

    /// A runner that talks to `clients` (already connected) instead of `options.servers`.
    package init(options: RunOptions, logger: Logger, stop: StopSignal = StopSignal(), clients: [any CompletionClient]?)
    {
        precondition(clients.map { !$0.isEmpty } ?? true, "a runner needs at least one completion client")
        self.options = options
        self.logger = logger
        self.stop = stop
        self.clients = clients
    }

    /// Prepares the run (job, servers) and hands back its live counters before working.
    public func run(onStart: (RunCounters) -> Void = { _ in }) async throws -> RunSummary {
        if options.fidelity == .embedding && options.embeddingServer == nil {
            throw InferenceError(
                kind: .configuration, endpoint: "-", detail: "the embedding fidelity scorer needs an embedding server")
        }
        let job = try Job(directory: options.job)
        let styleIndices = try options.styles.map { names in Set(try names.map { try job.style(named: $0).index }) }
        let shards = job.shards(in: options.partition)
        var pending = 0
        for shard in shards { pending += try await unsettled(shard, of: job, styles: styleIndices) }
        if pending == 0 {
            // Nothing to claim or wait for (e.g. a re-submitted Slurm array task whose shards are
            // done): finish before connecting, so no server is needed.
            logger.info("nothing pending in the \(shards.count) shard(s) of partition \(options.partition)")
            var summary = RunSummary()
            summary.styleCount = styleIndices?.count ?? job.styles.count
            return summary
        }
        let counters = RunCounters(initialPending: pending, styleCount: styleIndices?.count ?? job.styles.count)

        return try await InferenceSession.with { session in
            try await work(
                job: job, shards: shards, styles: styleIndices, session: session, counters: counters, onStart: onStart)
        }
    }

    private func work(
        job: Job, shards: [ShardRecord], styles: Set<Int>?, session: InferenceSession, counters: RunCounters,
        onStart: (RunCounters) -> Void
    ) async throws -> RunSummary {
        let definition = job.definition
        var clients: [any CompletionClient] = self.clients ?? []
        if self.clients == nil {
            for server in options.servers {
                clients.append(try await session.connect(server, logger: logger, readinessTimeout: .seconds(300)))
            }
        }
        let pool = EndpointPool(clients: clients, logger: logger)
        await pool.refreshCapacity()
        let slots = await pool.totalCapacity
        let concurrency = ConcurrencyController(setting: options.concurrency, slots: slots, logger: logger)
        let counter = BoundedServerTokenCounter(client: clients[0], budget: options.tokenBudget)
        let worker = WorkerIdentity.current()
        let recorder = try RunRecorder(
            manifest: job.manifest, worker: worker, clients: clients, tokenBudget: options.tokenBudget)
        let retry = ExponentialJitterRetry.exponentialJitter(maxAttempts: options.httpAttempts)
        var embedding: EmbeddingScorer?
        if options.fidelity == .embedding, let server = options.embeddingServer {
            embedding = try await EmbeddingScorer.connect(server, session: session, logger: logger, retry: retry)
            logger.info("fidelity scorer \(embedding!.name) from \(server.displayEndpoint)")
        }
        let rewriter = TaskRewriter(
            pool: pool,
            builder: PromptBuilder(template: definition.prompt, budget: options.tokenBudget, counter: counter),
            sources: Dictionary(uniqueKeysWithValues: zip(definition.styles.map(\.index), definition.demonstrations)),
            jobSeed: definition.configuration.seed, resamples: options.resamples, minFidelity: options.minFidelity,
            embedding: embedding, retry: retry, recorder: recorder)
        logger.info(
            "working \(shards.count) shard(s) of \(job.layout.directory.path) as \(worker.owner), \(slots) server slot(s), concurrency \(options.concurrency == .auto ? "auto from \(concurrency.level)" : "\(concurrency.level)")"
        )
        onStart(counters)

        let lostOwnership = LostOwnership()
        try await withThrowingTaskGroup(of: Void.self) { group in
            if concurrency.isTuning {
                group.addTask { await watchServerQueue(pool: pool, concurrency: concurrency, counters: counters) }
            }
            defer { group.cancelAll() }
            var remaining = shards
            while !remaining.isEmpty && !stop.isRequested {
                var busy: [ShardRecord] = []
                for shard in remaining where !stop.isRequested {
                    let worked: Void? = try await job.manifest.whileOwning(
                        shard: shard.id, worker: worker, ttlMillis: options.ownershipMillis,
                        onLost: { [logger, stop, lostOwnership] in
                            // Another process took the shard over: stop writing it (drain, then exit
                            // non-zero) so the shard keeps one writer.
                            logger.error(
                                "lost the ownership of \(shard.file) to another process (not renewed for \(options.ownershipMillis / 1000) s): stopping"
                            )
                            lostOwnership.record(shard.file)
                            stop.request()
                        }
                    ) {
                        let queue = try await Blocking.run { try job.openShard(shard) }
                        // We own the shard now: any lease in it belongs to a dead or evicted worker,
                        // and counts as a failed attempt of its task (`worker_lost`), so that a task
                        // that kills its worker every time ends dead-lettered instead of looping.
                        let lost = try await Blocking.run { [options] in
                            try queue.takeBackLeases(maxAttempts: options.maxAttempts, worker: worker.owner)
                        }
                        if lost.retried + lost.deadLettered > 0 {
                            logger.warning(
                                "took back \(lost.retried + lost.deadLettered) lease(s) of a lost worker in \(shard.file): \(lost.deadLettered) dead-lettered (worker_lost), the rest retried one at a time"
                            )
                            counters.update {
                                $0.failedByReason[TaskFailure.workerLost, default: 0] +=
                                    lost.retried + lost.deadLettered
                                $0.deadLettered += lost.deadLettered
                            }
                        }
                        try await ShardRunner(
                            queue: queue, worker: worker, styles: styles, rewriter: rewriter, pool: pool,
                            concurrency: concurrency, counters: counters, stop: stop, options: options,
                            logger: logger
                        ).run()
                        // The cached caption vectors are this shard's: none will be asked for again.
                        await embedding?.forgetCaptions()
                    }
                    guard worked != nil else {
                        busy.append(shard)
                        continue
                    }
                    if !stop.isRequested, try await unsettled(shard, of: job, styles: styles) > 0 {
                        busy.append(shard)
                    }
                }
                guard options.untilIdle else { break }
                remaining = busy
                if !remaining.isEmpty && !stop.isRequested { try await Task.sleep(for: .seconds(1)) }
            }
        }
        try await Blocking.run { try job.manifest.releaseOwnership(worker: worker) }
        if let file = lostOwnership.first {
            throw QueueError(
                .ownershipLost,
                "\(file) was taken over by another process while this one worked it (its ownership went unrenewed for \(options.ownershipMillis / 1000) s); the rewrites finished before are kept: run again to finish the job"
            )
        }

        var summary = counters.snapshot().summary
        summary.interrupted = stop.isRequested
        summary.finalConcurrency = concurrency.level
        var remaining = 0
        for shard in shards { remaining += try await unsettled(shard, of: job, styles: styles) }
        summary.remainingPending = remaining
        recorder.finish(summary)
        return summary
    }

    /// Pending or in-flight tasks of the selected styles in `shard`, read off the cooperative pool.
    private func unsettled(_ shard: ShardRecord, of job: Job, styles: Set<Int>?) async throws -> Int {
        try await Blocking.run { try Self.unsettled(job.openShard(shard, readonly: true), styles: styles) }
    }

    /// Pending or in-flight tasks of the selected styles.
    private static func unsettled(_ queue: ShardQueue, styles: Set<Int>?) throws -> Int {
        let counts = try queue.counts()
        return counts.byStyle.filter { styles?.contains($0.key) ?? true }
            .reduce(0) { $0 + ($1.value[.pending] ?? 0) + ($1.value[.leased] ?? 0) }
    }

    /// Feeds the servers' own queue readings (`/metrics`) to the tuner twice a second. Stops
    /// for good when the servers never report one (no `--metrics`, TGI, Ollama...): the tuner
    /// then hill-climbs on the completion rate instead.
    private func watchServerQueue(pool: EndpointPool, concurrency: ConcurrencyController, counters: RunCounters) async {
        var seen = false
        var misses = 0
        while !Task.isCancelled {
            if let load = await pool.serverLoad() {
                seen = true
                concurrency.observe(load, inFlight: counters.inFlight)
            } else if !seen {
                misses += 1
                if misses >= 3 { return }
            }
            do {
                try await Task.sleep(for: .milliseconds(500))
            } catch {
                return
            }
        }
    }
}

/// The first shard whose ownership a run lost, set from the ownership heartbeat.
private final class LostOwnership: Sendable {
    private let file = Mutex<String?>(nil)
    func record(_ name: String) { file.withLock { $0 = $0 ?? name } }
    var first: String? { file.withLock { $0 } }
}
