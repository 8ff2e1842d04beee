import Foundation
import Inference
import Prompting
import RewriteQueue

/// How many requests to keep in flight.
public enum ConcurrencySetting: Sendable, Equatable {
    case fixed(Int)
    /// Start at the servers' slot count and climb while completed rewrites/s improves.
    case auto
}

public struct RunOptions: Sendable {
    public var job: URL
    public var servers: [ServerConfiguration]
    public var concurrency: ConcurrencySetting = .auto
    /// Failed attempts (after HTTP retries and re-sampling) before a task is dead-lettered.
    public var maxAttempts = 3
    /// Extra samples, each with a new seed, when a completion fails validation.
    public var resamples = 3
    /// Re-sample a valid rewrite whose fidelity score is under this (nil: the paper's
    /// behaviour, no guard).
    public var minFidelity: Double?
    /// The scorer of every stored rewrite, and of the guard.
    public var fidelity = FidelityScorerKind.lexical
    /// The `/v1/embeddings` server of the `embedding` scorer (required for it).
    public var embeddingServer: ServerConfiguration?
    /// Only these styles (names); nil = all.
    public var styles: [String]?
    /// Keep waiting while other processes still hold work, until the whole job is settled.
    public var untilIdle = false
    public var partition = Partition.all
    public var tokenBudget = PromptBuilder.defaultBudget
    public var leaseMillis: Int64 = 600_000
    public var ownershipMillis = JobManifest.ownershipMillis
    /// How long in-flight requests may finish after the first Ctrl-C.
    public var drainGrace: Duration = .seconds(5)
    /// HTTP retries of one request inside the endpoint pool.
    public var httpAttempts = 5

    public init(job: URL, servers: [ServerConfiguration]) {
        self.job = job
        self.servers = servers
    }
}
