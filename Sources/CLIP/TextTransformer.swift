import Tensor

/// Causal text tower: token + position embeddings → pre-LN blocks (QuickGELU, causal mask) →
/// final LayerNorm → the activation at the end-of-text token → projection.
final class TextTransformer {
    let configuration: CLIPConfiguration
    let tokenEmbedding, positionalEmbedding: Tensor
    let blocks: [TransformerBlock]
    let finalNormGain, finalNormBias, projection: Tensor

    init(configuration c: CLIPConfiguration, factory: inout ParameterFactory) {
        configuration = c
        let width = c.textWidth
        tokenEmbedding = factory.make("token_embedding.weight", [c.vocabularySize, width], .normal(std: 0.02))
        positionalEmbedding = factory.make("positional_embedding", [c.contextLength, width], .normal(std: 0.01))
        var blocks: [TransformerBlock] = []
        for layer in 0..<c.textDepth {
            blocks.append(
                TransformerBlock(
                    prefix: "transformer.resblocks.\(layer).", width: width, heads: c.textHeads,
                    depth: c.textDepth, causal: true, activation: .quickGELU, factory: &factory))
        }
        self.blocks = blocks
        finalNormGain = factory.make("ln_final.weight", [width], .ones)
        finalNormBias = factory.make("ln_final.bias", [width], .zeros)
        projection = factory.make(
            "text_projection", [c.embedDimension, width], .normal(std: 1 / Float(width).squareRoot()))
    }

    /// tokens [B, contextLength] → text features [B, embed] (not normalised), read at `eot`.
    func callAsFunction(_ batch: TokenBatch, tape: Tape) -> Tensor {
        var x = tape.add(
            tape.embedding(batch.tokens, shape: [batch.count, configuration.contextLength], table: tokenEmbedding),
            positionalEmbedding)
        for block in blocks { x = block(x, tape: tape) }
        // LayerNorm is per position, so normalising only the pooled rows is the same feature
        // as normalising the whole sequence first (which CLIP does) at 1/T of the cost.
        let pooled = tape.gatherRows(x, positions: batch.endPositions)
        let normed = tape.layerNorm(pooled, gamma: finalNormGain, beta: finalNormBias)
        return tape.linear(normed, weight: projection, bias: nil)
    }
}
