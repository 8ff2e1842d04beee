import ArgumentParser
import Fidelity
import Foundation
import Inference
import Logging
import RewriteQueue
import Scheduler

struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "(Re)score a job's stored rewrites for fidelity in place, without regenerating them.",
        discussion: """
            Jobs made before laclip scored rewrites get their scores this way; `laclip status` then \
            shows them and `laclip export --min-fidelity` can use them. Scorers: lexical (the share of \
            the caption's content words a rewrite keeps; see the README's fidelity section) or embedding \
            (cosine similarity from an OpenAI-compatible /v1/embeddings server; each caption is embedded \
            once, rewrites in batches). A shard a run is working is skipped (its new rewrites are scored \
            as they are made): score again when the run is done.
            """)

    @Option(help: "The job directory.")
    var job: String

    @OptionGroup var scorer: FidelityScorerOptions

    @Option(help: "Inputs per /v1/embeddings request.")
    var embeddingBatch: Int = EmbeddingClient.defaultBatchSize

    @Option(help: "Tries of one embedding request (with exponential backoff and jitter) before scoring fails.")
    var httpTries: Int = 5

    @Option(help: "Seconds one embedding request may take before it is retried.")
    var requestTimeout: Int = 120

    @Flag(name: .shortAndLong, help: "Log more.")
    var verbose = false

    func validate() throws {
        if embeddingBatch < 1 { throw ValidationError("--embedding-batch must be at least 1") }
    }

    func run() async throws {
        Laclip.bootstrapLogging(verbose: verbose)
        let job = try Job(directory: URL(fileURLWithPath: job))
        switch scorer.fidelity {
        case .lexical:
            let lexical = LexicalFidelity()
            try await score(job, name: LexicalFidelity.name) { queue in
                try await Blocking.run {
                    try queue.rescore(scorer: LexicalFidelity.name) { lexical.score(caption: $0, rewrite: $1) }
                }
            }
        case .embedding:
            let logger = Logger(label: "laclip.score")
            let configuration = try scorer.embeddingConfiguration(requestTimeout: requestTimeout)!
            let retry = ExponentialJitterRetry.exponentialJitter(maxAttempts: max(1, httpTries))
            try await InferenceSession.with { session in
                let embedding = try await EmbeddingScorer.connect(
                    configuration, session: session, logger: logger,
                    batchSize: embeddingBatch, retry: retry)
                try await score(job, name: embedding.name) { queue in
                    try await queue.rescore(scorer: embedding.name) { try await embedding.score(pairs: $0) }
                }
            }
        }
    }

    /// Scores every shard this process can own with `rescore`, then says what it did.
    private func score(_ job: Job, name: String, _ rescore: (ShardQueue) async throws -> Int) async throws {
        let me = WorkerIdentity.current()
        var total = 0
        var busy: [String] = []
        let started = Date()
        for shard in job.shards {
            // Only the shard's owner may write it; scoring from a server can outlast one TTL, so
            // the ownership is renewed while it works.
            guard
                let scored = try await job.manifest.whileOwning(
                    shard: shard.id, worker: me, { try await rescore(job.openShard(shard)) })
            else {
                busy.append(shard.file)
                continue
            }
            total += scored
        }
        print(
            "scored \(total) rewrite\(total == 1 ? "" : "s") (\(name)) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s"
        )
        if !busy.isEmpty {
            print(
                "skipped \(busy.count) shard(s) a run is working (\(busy.joined(separator: ", "))): score again when it is done"
            )
            throw ExitCode(1)
        }
    }
}
