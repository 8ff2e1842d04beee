import Tensor

/// ViT image tower: patches → linear embedding (a stride-P convolution without bias, written as
/// a product over flattened patches) → class token + learned positions → the extra LayerNorm
/// CLIP adds before the transformer → pre-LN blocks (GELU) → LayerNorm of the class token →
/// projection into the shared space.
final class VisionTransformer {
    let configuration: CLIPConfiguration
    let patchWeight, classEmbedding, positionalEmbedding, preNormGain, preNormBias: Tensor
    let blocks: [TransformerBlock]
    let postNormGain, postNormBias, projection: Tensor

    init(configuration c: CLIPConfiguration, factory: inout ParameterFactory) {
        configuration = c
        let width = c.visionWidth
        let scale = 1 / Float(width).squareRoot()
        // PyTorch's default convolution initialisation bound, 1/√fan_in.
        patchWeight = factory.make(
            "visual.conv1.weight", [width, c.patchValues], .uniform(bound: 1 / Float(c.patchValues).squareRoot()))
        classEmbedding = factory.make("visual.class_embedding", [width], .normal(std: scale))
        positionalEmbedding = factory.make(
            "visual.positional_embedding", [c.patchCount + 1, width], .normal(std: scale))
        preNormGain = factory.make("visual.ln_pre.weight", [width], .ones)
        preNormBias = factory.make("visual.ln_pre.bias", [width], .zeros)
        var blocks: [TransformerBlock] = []
        for layer in 0..<c.visionDepth {
            blocks.append(
                TransformerBlock(
                    prefix: "visual.transformer.resblocks.\(layer).", width: width, heads: c.visionHeads,
                    depth: c.visionDepth, causal: false, activation: .gelu, factory: &factory))
        }
        self.blocks = blocks
        postNormGain = factory.make("visual.ln_post.weight", [width], .ones)
        postNormBias = factory.make("visual.ln_post.bias", [width], .zeros)
        projection = factory.make("visual.proj", [c.embedDimension, width], .normal(std: scale))
    }

    /// patches [B, N, 3·P·P] → image features [B, embed] (not normalised).
    func callAsFunction(_ patches: Tensor, tape: Tape) -> Tensor {
        let batch = patches.shape[0], width = configuration.visionWidth
        let embedded = tape.linear(patches, weight: patchWeight, bias: nil)
        // The class token enters as one more "patch" in front; adding the [width] parameter to
        // zeros [B, 1, width] broadcasts it to every image and sums its gradient over the batch.
        let zeros = tape.constant(shape: [batch, 1, width]) { $0.update(repeating: 0) }
        let classTokens = tape.add(zeros, classEmbedding)
        var x = tape.add(tape.concat([classTokens, embedded], axis: 1), positionalEmbedding)
        x = tape.layerNorm(x, gamma: preNormGain, beta: preNormBias)
        for block in blocks { x = block(x, tape: tape) }
        let pooled = tape.gatherRows(x, positions: [Int32](repeating: 0, count: batch))
        let normed = tape.layerNorm(pooled, gamma: postNormGain, beta: postNormBias)
        return tape.linear(normed, weight: projection, bias: nil)
    }
}
