/// Reported after every step (for a live progress line).
public struct TrainingProgress: Sendable {
    /// Steps completed so far in the whole run (including those before a resume).
    public var step: Int
    public var totalSteps: Int
    public var epoch: Int
    public var loss: Float
    public var learningRate: Float
    /// exp(logit scale parameter): the factor cosine similarities are multiplied by.
    public var logitScale: Float
    public var gradientNorm: Float
    public var stepsPerSecond: Double
    public var imagesPerSecond: Double
    public var secondsRemaining: Double
    /// Set when this step wrote a checkpoint.
    public var checkpoint: String?
}

/// What a `train` call did.
public struct TrainingSummary: Sendable {
    public var firstStep: Int
    public var completedSteps: Int
    public var totalSteps: Int
    /// Loss of each step this call ran, in order.
    public var losses: [Float]
    public var checkpoints: [String]
    public var metricsFile: String
    public var lossPlot: String
    public var tokenizerFile: String
    public var seconds: Double
}

/// One line of metrics.jsonl.
struct MetricsRecord: Codable, Equatable {
    var step: Int
    var epoch: Int
    var loss: Float
    var lr: Float
    var logit_scale: Float
    var grad_norm: Float
    var images_per_second: Double
}
