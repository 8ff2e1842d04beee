import CLIP
import Foundation
import Seeding
import Tensor

// Imports Tensor but not TestSupport, whose SeededGenerator would clash with Tensor's.

/// A short laclip training run written out for the PyTorch replay
/// (`scripts/torch_clip_reference.py compare`): `index.json` names raw little-endian files
/// (float32 parameters and gradients, all tensors concatenated in `CLIPModel.parameters` order;
/// float32 images; int32 tokens and end positions).
struct StepDump {
    struct Parameter: Encodable { var name: String; var shape: [Int]; var decays: Bool }
    struct Optimizer: Encodable { var beta1, beta2, epsilon, weightDecay: Float }
    struct Step: Encodable {
        var learningRate: Float
        var loss: Float
        var gradientNorm: Float
        var images, tokens, endPositions, gradients, parameters: String
    }
    struct Index: Encodable {
        var preset: String
        var configuration: CLIPConfiguration
        var batchSize: Int
        var optimizer: Optimizer
        var maxGradientNorm: Float?
        var parameters: [Parameter]
        var initialParameters: String
        var steps: [Step]
    }

    let folder: URL

    /// Trains `learningRates.count` steps of `preset` from `seed` with the trainer's own step
    /// code and `options`' optimiser settings, each step on a fresh random batch, dumping the
    /// state before the first step and the loss, raw gradients and parameters of each.
    @discardableResult
    func write(preset: String, batchSize: Int, seed: UInt64, learningRates: [Float], options: TrainOptions) throws
        -> Index
    {
        guard let configuration = CLIPConfiguration.preset(named: preset) else { throw DumpError.unknownPreset(preset) }
        let model = try CLIPModel(configuration: configuration, seed: seed)
        let settings = AdamWConfiguration(
            beta1: options.beta1, beta2: options.beta2, epsilon: options.epsilon,
            weightDecay: options.weightDecay)
        let optimizer = AdamW(parameters: model.parameters, configuration: settings)
        var generator = SeededGenerator(seed: seed &+ 1)
        let tape = Tape()
        var index = Index(
            preset: preset, configuration: configuration, batchSize: batchSize,
            optimizer: Optimizer(
                beta1: settings.beta1, beta2: settings.beta2, epsilon: settings.epsilon,
                weightDecay: settings.weightDecay),
            maxGradientNorm: options.maxGradientNorm,
            parameters: model.parameters.map { Parameter(name: $0.name, shape: $0.shape, decays: $0.decays) },
            initialParameters: "parameters-0.f32", steps: [])
        try save(model.parameters.flatMap(\.scalars), as: index.initialParameters)
        for (number, rate) in zip(1..., learningRates) {
            let images = randomImages(configuration, count: batchSize, generator: &generator)
            let tokens = randomTokens(configuration, count: batchSize, generator: &generator)
            let loss = model.computeGradients(images: images, tokens: tokens, tape: tape)
            // Saved before clipping: the replay checks the raw gradients and clips them itself.
            let gradients = model.parameters.flatMap { $0.gradient ?? [Float](repeating: 0, count: $0.count) }
            let norm = model.applyGradients(
                optimizer: optimizer, learningRate: rate, maxGradientNorm: options.maxGradientNorm)
            let step = Step(
                learningRate: rate, loss: loss, gradientNorm: norm, images: "images-\(number).f32",
                tokens: "tokens-\(number).i32", endPositions: "ends-\(number).i32",
                gradients: "gradients-\(number).f32", parameters: "parameters-\(number).f32")
            try save(images.pixels, as: step.images)
            try save(tokens.tokens, as: step.tokens)
            try save(tokens.endPositions, as: step.endPositions)
            try save(gradients, as: step.gradients)
            try save(model.parameters.flatMap(\.scalars), as: step.parameters)
            index.steps.append(step)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(index).write(to: folder.appendingPathComponent("index.json"))
        return index
    }

    private func save<T>(_ values: [T], as name: String) throws {
        // Every platform Swift runs on is little-endian, so the in-memory bytes are the format.
        try values.withUnsafeBytes { Data($0) }.write(to: folder.appendingPathComponent(name))
    }

    /// Standard-normal pixels: the scale of normalised images.
    private func randomImages(_ c: CLIPConfiguration, count: Int, generator: inout SeededGenerator) -> ImageBatch {
        let values = count * 3 * c.imageResolution * c.imageResolution
        return ImageBatch(
            count: count, resolution: c.imageResolution, pixels: (0..<values).map { _ in generator.nextNormal() })
    }

    /// Start token, random words from the whole vocabulary, end token, zero padding; lengths
    /// vary from 3 to the full context so both the pooling and the causal mask are exercised.
    private func randomTokens(_ c: CLIPConfiguration, count: Int, generator: inout SeededGenerator) -> TokenBatch {
        let words = UInt64(c.vocabularySize - 2)
        let encoded: [[Int32]] = (0..<count).map { _ in
            let length = 3 + Int(generator.next() % UInt64(c.contextLength - 2))
            let middle = (0..<(length - 2)).map { _ in Int32(generator.next() % words) }
            return [Int32(c.vocabularySize - 2)] + middle + [Int32(c.vocabularySize - 1)]
        }
        return TokenBatch(encoded: encoded, contextLength: c.contextLength)
    }
}

enum DumpError: Error, CustomStringConvertible {
    case unknownPreset(String)
    var description: String {
        switch self {
        case .unknownPreset(let name): "no CLIP preset named \(name)"
        }
    }
}
