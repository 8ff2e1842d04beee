/// What `laclip status --json` prints: a stable schema for scripts and dashboards. Fields are
/// only ever added; a change to the meaning or type of one bumps `schemaVersion`. Encoded
/// with snake_case keys (`StatusReport.encoder`).
public struct StatusReport: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion = StatusReport.currentSchemaVersion
    /// Milliseconds since the Unix epoch.
    public var generatedAt: Int64
    public var job: String
    public var styles: [String]
    public var captions: Int
    public var totals: TaskTotals
    public var byStyle: [StyleTotals]
    public var shards: [ShardStatus]
    public var throughput: Throughput
    /// Seconds until pending and in-flight tasks are done at the recent rate; null when nobody
    /// is working or no rate is known yet.
    @Nullable public var etaSeconds: Double?
    public var workers: [WorkerStatus]
    /// Leases past their expiry: a worker died or stalled; the next owner takes them back.
    public var staleLeases: Int
    public var failures: FailureSummary
    public var dead: DeadSummary
    /// Every task is done or dead.
    public var complete: Bool
    /// Per style, the stored rewrites' fidelity scores and re-samples (added in laclip's
    /// fidelity release; schema version unchanged, as fields are only ever added).
    public var fidelity: [StyleFidelityStatus] = []
}

public struct StyleFidelityStatus: Codable, Sendable, Equatable {
    public var style: String
    /// Rewrites with a score (all of them, unless the job predates scoring: `laclip score`).
    public var scored: Int
    /// At 0.01 resolution; null without scores.
    @Nullable public var median: Double?
    @Nullable public var p10: Double?
    /// Kept under their run's `--min-fidelity` because every re-sample fell short.
    public var belowThreshold: Int
    /// Done tasks that took more than one sample, the extra samples, and those of them that
    /// were rejected only for fidelity (`drops_content`).
    public var resampledTasks: Int
    public var resamples: Int
    public var contentResamples: Int
}

public struct TaskTotals: Codable, Sendable, Equatable {
    public var done = 0
    public var inFlight = 0
    public var pending = 0
    public var dead = 0
    public var total = 0
    public init() {}
}

public struct StyleTotals: Codable, Sendable, Equatable {
    public var style: String
    public var done: Int
    public var inFlight: Int
    public var pending: Int
    public var dead: Int
    public var total: Int
}

public struct ShardStatus: Codable, Sendable, Equatable {
    public var id: Int
    public var file: String
    public var firstCaption: Int64
    public var captions: Int
    public var done: Int
    public var inFlight: Int
    public var pending: Int
    public var dead: Int
    public var total: Int
    /// The process holding the shard (an unexpired ownership lease), if any.
    @Nullable public var owner: String?
}

public struct Throughput: Codable, Sendable, Equatable {
    /// Results completed in the last `recent.seconds` (at most 60).
    public var recent: Rates
    /// From the first to the last completed result.
    public var sinceStart: Rates
    @Nullable public var firstCompletedAt: Int64?
    @Nullable public var lastCompletedAt: Int64?
    public var promptTokens: Int
    public var completionTokens: Int
}

/// Rates over a span. A caption counts as one rewrite per style, so `captionsPerSecond` is
/// `rewritesPerSecond / styles`. Rates are null over a span shorter than one second.
public struct Rates: Codable, Sendable, Equatable {
    public var seconds: Double
    public var rewrites: Int
    @Nullable public var rewritesPerSecond: Double?
    @Nullable public var captionsPerSecond: Double?
    /// Prompt plus completion tokens.
    @Nullable public var tokensPerSecond: Double?
    @Nullable public var completionTokensPerSecond: Double?
}

public struct WorkerStatus: Codable, Sendable, Equatable {
    public var owner: String
    @Nullable public var host: String?
    @Nullable public var pid: Int?
    /// Shards it owns (unexpired ownership leases).
    public var shards: [Int]
    /// Tasks it holds leased right now.
    public var leases: Int
    /// Latest expiry of its ownership or task leases (ms); renewed by its heartbeats.
    public var expiresAt: Int64
}

public struct FailureSummary: Codable, Sendable, Equatable {
    /// Failed attempts logged (retried or not).
    public var attempts: Int
    /// Most frequent first.
    public var reasons: [FailureReason]
}

public struct FailureReason: Codable, Sendable, Equatable {
    public var reason: String
    public var count: Int
    /// Of which permanent (dead-lettered at once).
    public var permanent: Int
    /// The most recent failure with this reason.
    public var example: FailureExampleStatus
}

public struct FailureExampleStatus: Codable, Sendable, Equatable {
    public var captionId: Int64
    public var style: String
    public var attempt: Int
    public var detail: String
    public var worker: String
    public var at: Int64
}

public struct DeadSummary: Codable, Sendable, Equatable {
    public var total: Int
    public var byReason: [ReasonCount]
    /// A few dead tasks (lowest caption ids first); `laclip retry` requeues them.
    public var examples: [DeadExample]
}

public struct ReasonCount: Codable, Sendable, Equatable {
    public var reason: String
    public var count: Int
}

public struct DeadExample: Codable, Sendable, Equatable {
    public var captionId: Int64
    public var style: String
    public var failures: Int
    @Nullable public var lastReason: String?
    public var caption: String
}
