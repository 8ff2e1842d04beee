import Tensor

/// A pre-LN residual block: x + Attn(LN(x)), then x + MLP(LN(x)), with a 4× MLP.
final class TransformerBlock {
    enum Activation { case gelu, quickGELU }

    let heads: Int
    let causal: Bool
    let activation: Activation
    let norm1Gain, norm1Bias, qkvWeight, qkvBias, outWeight, outBias: Tensor
    let norm2Gain, norm2Bias, fcWeight, fcBias, projWeight, projBias: Tensor

    /// Initialisation follows OpenAI CLIP's text transformer: attention inputs std w^-½, the two
    /// residual-branch outputs std w^-½·(2·depth)^-½ (so the residual stream's variance does not
    /// grow with depth), the MLP's first layer std (2w)^-½; biases zero, gains one.
    init(
        prefix: String, width: Int, heads: Int, depth: Int, causal: Bool, activation: Activation,
        factory: inout ParameterFactory
    ) {
        self.heads = heads
        self.causal = causal
        self.activation = activation
        let w = Float(width)
        let attentionStd = 1 / w.squareRoot()
        let residualStd = attentionStd / Float(2 * depth).squareRoot()
        let fcStd = 1 / (2 * w).squareRoot()
        norm1Gain = factory.make(prefix + "ln_1.weight", [width], .ones)
        norm1Bias = factory.make(prefix + "ln_1.bias", [width], .zeros)
        qkvWeight = factory.make(prefix + "attn.in_proj.weight", [3 * width, width], .normal(std: attentionStd))
        qkvBias = factory.make(prefix + "attn.in_proj.bias", [3 * width], .zeros)
        outWeight = factory.make(prefix + "attn.out_proj.weight", [width, width], .normal(std: residualStd))
        outBias = factory.make(prefix + "attn.out_proj.bias", [width], .zeros)
        norm2Gain = factory.make(prefix + "ln_2.weight", [width], .ones)
        norm2Bias = factory.make(prefix + "ln_2.bias", [width], .zeros)
        fcWeight = factory.make(prefix + "mlp.c_fc.weight", [4 * width, width], .normal(std: fcStd))
        fcBias = factory.make(prefix + "mlp.c_fc.bias", [4 * width], .zeros)
        projWeight = factory.make(prefix + "mlp.c_proj.weight", [width, 4 * width], .normal(std: residualStd))
        projBias = factory.make(prefix + "mlp.c_proj.bias", [width], .zeros)
    }

    /// x [B, T, width] → [B, T, width].
    func callAsFunction(_ x: Tensor, tape: Tape) -> Tensor {
        let h1 = tape.layerNorm(x, gamma: norm1Gain, beta: norm1Bias)
        let qkv = tape.linear(h1, weight: qkvWeight, bias: qkvBias)
        let attended = tape.attention(qkv, heads: heads, causal: causal)
        let x1 = tape.add(x, tape.linear(attended, weight: outWeight, bias: outBias))
        let h2 = tape.layerNorm(x1, gamma: norm2Gain, beta: norm2Bias)
        let hidden = tape.linear(h2, weight: fcWeight, bias: fcBias)
        let activated = activation == .gelu ? tape.gelu(hidden) : tape.quickGELU(hidden)
        return tape.add(x1, tape.linear(activated, weight: projWeight, bias: projBias))
    }
}
