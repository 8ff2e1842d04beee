import Foundation

/// Everything `laclip train` decides. Defaults follow LaCLIP's CC3M recipe where it applies
/// (lr 1e-3, weight decay 0.5, AdamW β = (0.9, 0.98), ε = 1e-8, cosine to 1e-5 after warm-up,
/// random resized crop 0.5–1), scaled down to a CPU.
public struct TrainOptions: Sendable, Codable, Equatable {
    /// The LaCLIP training CSV (`image_path,caption`, no header).
    public var trainCSV: URL
    /// Rewrite files, line-aligned with the CSV, one per style.
    public var rewriteFiles: [URL]
    /// Folder relative image paths are resolved against (default: the CSV's folder).
    public var imageRoot: URL?
    /// Checkpoints, tokenizer, metrics.jsonl and loss.svg go here.
    public var outputDirectory: URL

    public var model: CLIPConfiguration
    public var batchSize: Int
    /// Total optimiser steps; nil = `epochs` × steps per epoch.
    public var steps: Int?
    public var epochs: Int
    public var learningRate: Float
    public var minimumLearningRate: Float
    /// nil = one epoch, but at most a tenth of the run.
    public var warmupSteps: Int?
    public var weightDecay: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// Global L2 norm the gradients are clipped to; nil = no clipping.
    public var maxGradientNorm: Float?
    /// false = vanilla CLIP on the original captions (`--no-aug-text`).
    public var augmentText: Bool
    public var seed: UInt64
    /// Compute threads (matrix products and the loops between them); results are bitwise
    /// reproducible for a fixed count.
    public var threads: Int
    /// Write a checkpoint every this many steps (and at the end); 0 = only at the end.
    public var checkpointEvery: Int
    /// Continue from the newest checkpoint in `outputDirectory` if there is one.
    public var resume: Bool
    /// Stop (with a checkpoint) after this step even though the schedule is planned for
    /// `steps`: an interrupted run, for tests and for time-boxed sessions.
    public var stopAfterStep: Int?
    /// Batches the loader keeps decoded ahead of the step being trained.
    public var prefetchDepth: Int
    /// A saved tokenizer (`tokenizer.bpe`) to use instead of learning one from the data, so runs
    /// on different caption sets can share one vocabulary.
    public var tokenizerFile: URL?

    public init(
        trainCSV: URL, rewriteFiles: [URL] = [], imageRoot: URL? = nil, outputDirectory: URL,
        model: CLIPConfiguration = .tiny, batchSize: Int = 64, steps: Int? = nil, epochs: Int = 10,
        learningRate: Float = 1e-3, minimumLearningRate: Float = 1e-5, warmupSteps: Int? = nil,
        weightDecay: Float = 0.5, beta1: Float = 0.9, beta2: Float = 0.98, epsilon: Float = 1e-8,
        maxGradientNorm: Float? = 1.0, augmentText: Bool = true, seed: UInt64 = 0, threads: Int = 1,
        checkpointEvery: Int = 500, resume: Bool = false, stopAfterStep: Int? = nil, prefetchDepth: Int = 2,
        tokenizerFile: URL? = nil
    ) {
        self.trainCSV = trainCSV
        self.rewriteFiles = rewriteFiles
        self.imageRoot = imageRoot
        self.outputDirectory = outputDirectory
        self.model = model
        self.batchSize = batchSize
        self.steps = steps
        self.epochs = epochs
        self.learningRate = learningRate
        self.minimumLearningRate = minimumLearningRate
        self.warmupSteps = warmupSteps
        self.weightDecay = weightDecay
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.maxGradientNorm = maxGradientNorm
        self.augmentText = augmentText
        self.seed = seed
        self.threads = threads
        self.checkpointEvery = checkpointEvery
        self.resume = resume
        self.stopAfterStep = stopAfterStep
        self.prefetchDepth = prefetchDepth
        self.tokenizerFile = tokenizerFile
    }
}

/// Linear warm-up from lr/warmup to lr, then cosine decay to the floor at the last step.
public struct LearningRateSchedule: Sendable, Equatable {
    public var peak: Float
    public var floor: Float
    public var warmupSteps: Int
    public var totalSteps: Int

    public init(peak: Float, floor: Float, warmupSteps: Int, totalSteps: Int) {
        self.peak = peak
        self.floor = floor
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// Learning rate of the 0-based `step`.
    public func rate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        let span = max(totalSteps - warmupSteps - 1, 1)
        let progress = min(Double(step - warmupSteps) / Double(span), 1)
        return floor + (peak - floor) * Float(0.5 * (1 + cos(Double.pi * progress)))
    }
}
