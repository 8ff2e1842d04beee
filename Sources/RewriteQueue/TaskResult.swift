/// A validated rewrite and what produced it, as stored with the task.
public struct TaskResult: Sendable, Equatable {
    public var row: Int64
    public var id: TaskID
    public var leaseToken: Int64
    public var text: String
    public var model: String
    public var seed: Int64
    public var promptTokens: Int
    public var completionTokens: Int
    public var latencyMs: Double
    public var finishReason: String
    public var attempt: Int
    /// The fidelity score in [0, 1] and its scorer's name (`lexical`, `embedding:<model>`).
    public var fidelity: Double?
    public var scorer: String?
    /// The run's `--min-fidelity`, nil without the guard: a stored `fidelity` under it marks a
    /// rewrite kept as the best of samples that all fell short.
    public var minFidelity: Double?
    /// Samples drawn before this one (any rejection), and how many of them were rejected only
    /// for their fidelity (`drops_content`).
    public var resamples = 0
    public var contentResamples = 0

    public init(
        task: ClaimedTask, text: String, model: String, seed: Int64,
        promptTokens: Int, completionTokens: Int, latencyMs: Double, finishReason: String
    ) {
        row = task.row
        id = task.id
        leaseToken = task.leaseToken
        attempt = task.attempt
        self.text = text
        self.model = model
        self.seed = seed
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.latencyMs = latencyMs
        self.finishReason = finishReason
    }
}
