import CLIP
import Foundation

/// Settings of the miniature LaCLIP-vs-CLIP comparison. Both runs share every one of them; only
/// the captions a training step sees differ (originals only, or originals and rewrites).
public struct ExperimentOptions: Sendable, Codable, Equatable {
    /// Everything the experiment writes goes under this folder.
    public var outputDirectory: URL
    /// The laclip binary whose `enqueue`, `run` and `export` subcommands do the rewriting.
    public var laclipExecutable: URL
    /// Base URL of the LLM server (llama.cpp's llama-server).
    public var server: String
    /// Meta-pair styles to rewrite with (nil = every source enqueue finds).
    public var styles: [String]?
    public var trainCount: Int
    public var heldOutCount: Int
    public var imageSize: Int
    public var model: CLIPConfiguration
    public var batchSize: Int
    public var steps: Int
    /// Zero-shot accuracy is measured on a checkpoint every this many steps.
    public var evaluateEvery: Int
    /// Seed of the synthetic data and of the rewrite job.
    public var seed: UInt64
    /// Seed of initialisation, crops, batch order and caption sampling (nil = `seed`). Changing
    /// only this on a resumed run measures run-to-run noise without rewriting again.
    public var trainingSeed: UInt64?
    public var threads: Int
    public var fewShotEpisodes: Int
    /// The guarded arm's `laclip export --min-fidelity` (nil = `defaultMinFidelity`; optional so
    /// that settings.json files written before it still resume).
    public var minFidelity: Double?

    /// laclip's recommended lexical threshold (`LexicalFidelity.recommendedThreshold`).
    public static let defaultMinFidelity = 0.3
    public var effectiveMinFidelity: Double { minFidelity ?? Self.defaultMinFidelity }

    public init(
        outputDirectory: URL, laclipExecutable: URL, server: String, styles: [String]? = nil, trainCount: Int,
        heldOutCount: Int,
        imageSize: Int, model: CLIPConfiguration, batchSize: Int, steps: Int, evaluateEvery: Int, seed: UInt64 = 1,
        threads: Int = 1, fewShotEpisodes: Int = 1000, trainingSeed: UInt64? = nil
    ) {
        self.outputDirectory = outputDirectory
        self.laclipExecutable = laclipExecutable
        self.server = server
        self.styles = styles
        self.trainCount = trainCount
        self.heldOutCount = heldOutCount
        self.imageSize = imageSize
        self.model = model
        self.batchSize = batchSize
        self.steps = steps
        self.evaluateEvery = evaluateEvery
        self.seed = seed
        self.trainingSeed = trainingSeed
        self.threads = threads
        self.fewShotEpisodes = fewShotEpisodes
    }

    /// The seed every training run uses.
    public var effectiveTrainingSeed: UInt64 { trainingSeed ?? seed }

    /// Settings that decide the data and its rewrite job, named where they differ from `other`'s
    /// (a resumed experiment must share them; training settings may change).
    public func dataDifferences(from other: ExperimentOptions) -> [String] {
        var names: [String] = []
        if trainCount != other.trainCount { names.append("trainCount \(other.trainCount) → \(trainCount)") }
        if heldOutCount != other.heldOutCount { names.append("heldOutCount \(other.heldOutCount) → \(heldOutCount)") }
        if imageSize != other.imageSize { names.append("imageSize \(other.imageSize) → \(imageSize)") }
        if seed != other.seed { names.append("seed \(other.seed) → \(seed)") }
        if styles != other.styles {
            names.append(
                "styles \(other.styles?.joined(separator: ",") ?? "all") → \(styles?.joined(separator: ",") ?? "all")")
        }
        return names
    }

    /// A few minutes: 32 captions × 4 styles rewritten (1-2 min at the 1-1.5 rewrites/s the
    /// bundled SmolLM2-135M server gives on two cores), 60 steps of the tiny model per arm.
    /// It checks that every part runs; its numbers are too small to compare anything (and
    /// `make test` runs it, so the rewriting is kept short: it is nearly all of the time).
    public static func quick(outputDirectory: URL, laclipExecutable: URL, server: String) -> ExperimentOptions {
        ExperimentOptions(
            outputDirectory: outputDirectory, laclipExecutable: laclipExecutable, server: server,
            trainCount: 32, heldOutCount: 200, imageSize: 32, model: .tiny, batchSize: 16, steps: 60,
            evaluateEvery: 15, fewShotEpisodes: 200)
    }

    /// About an hour on two cores: rewriting 2,500 captions in four styles takes 40-60 min at
    /// 3-4 rewrites/s; each of the four training runs (2,000 steps, ≈ 51 epochs) ≈ 100 s.
    public static func full(outputDirectory: URL, laclipExecutable: URL, server: String) -> ExperimentOptions {
        ExperimentOptions(
            outputDirectory: outputDirectory, laclipExecutable: laclipExecutable, server: server,
            trainCount: 2500, heldOutCount: 1000, imageSize: 64, model: .tiny, batchSize: 64, steps: 2000,
            evaluateEvery: 200)
    }
}
