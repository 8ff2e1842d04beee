import Foundation
import Tensor

/// CLIP: the two towers, a learned temperature and the symmetric contrastive loss.
///
/// The temperature is stored as its logarithm, initialised to ln(1/0.07); logits are never
/// scaled by more than 100 (`scaleByExp` caps the factor) and the trainer clamps the parameter
/// to [0, ln 100] after every step, as open_clip and LaCLIP do.
public final class CLIPModel {
    public static let initialLogitScale = Float(log(1 / 0.07))
    public static let maximumLogitScale = Float(log(100.0))

    public let configuration: CLIPConfiguration
    /// Every trainable tensor, in a fixed order (checkpoints rely on it).
    public let parameters: [Tensor]
    public let logitScale: Tensor
    let vision: VisionTransformer
    let text: TextTransformer

    public init(configuration: CLIPConfiguration, seed: UInt64) throws(CLIPConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        var factory = ParameterFactory(seed: seed)
        vision = VisionTransformer(configuration: configuration, factory: &factory)
        text = TextTransformer(configuration: configuration, factory: &factory)
        logitScale = factory.make("logit_scale", [], .constant(CLIPModel.initialLogitScale))
        parameters = factory.parameters
    }

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Image features [B, embed], not normalised.
    public func encodeImages(_ images: ImageBatch, tape: Tape) -> Tensor {
        precondition(
            images.resolution == configuration.imageResolution,
            "images are \(images.resolution)px, the model expects \(configuration.imageResolution)px")
        let c = configuration
        let patches = tape.constant(shape: [images.count, c.patchCount, c.patchValues]) {
            images.writePatches(patchSize: c.patchSize, into: $0)
        }
        return vision(patches, tape: tape)
    }

    /// Text features [B, embed], not normalised.
    public func encodeText(_ tokens: TokenBatch, tape: Tape) -> Tensor {
        precondition(
            tokens.contextLength == configuration.contextLength,
            "tokens have context \(tokens.contextLength), the model expects \(configuration.contextLength)")
        return text(tokens, tape: tape)
    }

    /// Scaled cosine similarities [B, B] (rows images, columns texts).
    public func logits(imageFeatures: Tensor, textFeatures: Tensor, tape: Tape) -> Tensor {
        let similarities = tape.matmul(
            tape.l2Normalize(imageFeatures), tape.l2Normalize(textFeatures), transposeB: true)
        return tape.scaleByExp(similarities, logScale: logitScale, maxScale: 100)
    }

    /// The symmetric InfoNCE loss: the mean of image→text and text→image cross-entropies with
    /// the matching pair on the diagonal.
    public func loss(images: ImageBatch, tokens: TokenBatch, tape: Tape) -> Tensor {
        precondition(images.count == tokens.count, "\(images.count) images for \(tokens.count) captions")
        let logits = logits(
            imageFeatures: encodeImages(images, tape: tape), textFeatures: encodeText(tokens, tape: tape), tape: tape)
        return CLIPModel.contrastiveLoss(logits: logits, tape: tape)
    }

    public static func contrastiveLoss(logits: Tensor, tape: Tape) -> Tensor {
        let labels = (0..<Int32(logits.shape[0])).map { $0 }
        let imageToText = tape.crossEntropy(logits, labels: labels)
        let textToImage = tape.crossEntropy(tape.permute(logits, [1, 0]), labels: labels)
        return tape.scale(tape.add(imageToText, textToImage), by: 0.5)
    }

    /// Keeps the temperature in [0, ln 100]; call after every optimiser step.
    public func clampLogitScale() {
        let value = logitScale[flat: 0]
        logitScale[flat: 0] = min(max(value, 0), CLIPModel.maximumLogitScale)
    }

    /// Parameters AdamW decays: weight matrices and embeddings (rank ≥ 2), not gains, biases,
    /// the class token or the logit scale.
    public var decayedParameters: [Tensor] { parameters.filter(\.decays) }
}
