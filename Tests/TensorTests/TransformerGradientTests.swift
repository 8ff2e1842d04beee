import Seeding
import TensorTestSupport
import Testing

@testable import Tensor

/// A miniature CLIP built from the engine's operations: two pre-LN transformer blocks per tower
/// (causal text tower with QuickGELU, bidirectional image tower with GELU and a class token),
/// EOT pooling, projections, L2 normalisation, a learned temperature and the symmetric
/// contrastive loss. Checking its loss gradient end to end tests how the operations compose.
struct MiniCLIP {
    let width = 8, heads = 2, steps = 5, vocabulary = 11, patches = 3, patchSize = 6, embed = 4
    var parameters: [Tensor] = []
    var named: [String: Tensor] = [:]

    init(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        func add(_ name: String, _ shape: [Int], _ initializer: Initializer) {
            let p = Tensor(parameter: shape, name: name, initializer: initializer, generator: &generator)
            parameters.append(p)
            named[name] = p
        }
        add("token", [vocabulary, width], .normal(std: 0.5))
        add("textPosition", [steps, width], .normal(std: 0.3))
        add("patch.w", [width, patchSize], .normal(std: 0.4))
        add("patch.b", [width], .normal(std: 0.1))
        add("class", [1, 1, width], .normal(std: 0.5))
        add("imagePosition", [patches + 1, width], .normal(std: 0.3))
        add("imagePre.g", [width], .ones); add("imagePre.b", [width], .zeros)
        for tower in ["text", "image"] {
            for layer in 0..<2 {
                let p = "\(tower)\(layer)."
                add(p + "ln1.g", [width], .normal(std: 0.1)); add(p + "ln1.b", [width], .normal(std: 0.1))
                add(p + "qkv.w", [3 * width, width], .normal(std: 0.4));
                add(p + "qkv.b", [3 * width], .normal(std: 0.1))
                add(p + "proj.w", [width, width], .normal(std: 0.4)); add(p + "proj.b", [width], .normal(std: 0.1))
                add(p + "ln2.g", [width], .normal(std: 0.1)); add(p + "ln2.b", [width], .normal(std: 0.1))
                add(p + "fc.w", [4 * width, width], .normal(std: 0.4)); add(p + "fc.b", [4 * width], .normal(std: 0.1))
                add(p + "out.w", [width, 4 * width], .normal(std: 0.3)); add(p + "out.b", [width], .normal(std: 0.1))
            }
            add(tower + "Final.g", [width], .normal(std: 0.2)); add(tower + "Final.b", [width], .normal(std: 0.1))
            add(tower + "Projection", [embed, width], .normal(std: 0.4))
        }
        add("logScale", [], .constant(0.5))
        for (name, p) in named where name.hasSuffix(".g") || name.hasSuffix("Final.g") {
            p.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] += 1 } }
        }
    }

    func block(_ tape: Tape, _ x: Tensor, prefix p: String, causal: Bool, quick: Bool) -> Tensor {
        let n = named
        let h = tape.layerNorm(x, gamma: n[p + "ln1.g"]!, beta: n[p + "ln1.b"]!)
        let qkv = tape.linear(h, weight: n[p + "qkv.w"]!, bias: n[p + "qkv.b"]!)
        let attended = tape.linear(
            tape.attention(qkv, heads: heads, causal: causal), weight: n[p + "proj.w"]!, bias: n[p + "proj.b"]!)
        let x1 = tape.add(x, attended)
        let h2 = tape.layerNorm(x1, gamma: n[p + "ln2.g"]!, beta: n[p + "ln2.b"]!)
        let hidden = tape.linear(h2, weight: n[p + "fc.w"]!, bias: n[p + "fc.b"]!)
        let activated = quick ? tape.quickGELU(hidden) : tape.gelu(hidden)
        return tape.add(x1, tape.linear(activated, weight: n[p + "out.w"]!, bias: n[p + "out.b"]!))
    }

    /// tokens [B, steps], EOT positions [B], patch pixels [B, patches, patchSize].
    func loss(_ tape: Tape, tokens: [Int32], eot: [Int32], pixels: Tensor) -> Tensor {
        let n = named, batch = eot.count
        var text = tape.add(tape.embedding(tokens, shape: [batch, steps], table: n["token"]!), n["textPosition"]!)
        for layer in 0..<2 { text = block(tape, text, prefix: "text\(layer).", causal: true, quick: true) }
        text = tape.layerNorm(text, gamma: n["textFinal.g"]!, beta: n["textFinal.b"]!)
        let textFeatures = tape.matmul(tape.gatherRows(text, positions: eot), n["textProjection"]!, transposeB: true)

        let patchEmbeddings = tape.linear(pixels, weight: n["patch.w"]!, bias: n["patch.b"]!)
        // Broadcast the class token to every image by adding it to zeros shaped [B, 1, width].
        let zeros = tape.constant(shape: [batch, 1, width], values: [Float](repeating: 0, count: batch * width))
        let classTokens = tape.add(zeros, n["class"]!)
        var image = tape.add(tape.concat([classTokens, patchEmbeddings], axis: 1), n["imagePosition"]!)
        image = tape.layerNorm(image, gamma: n["imagePre.g"]!, beta: n["imagePre.b"]!)
        for layer in 0..<2 { image = block(tape, image, prefix: "image\(layer).", causal: false, quick: false) }
        image = tape.layerNorm(image, gamma: n["imageFinal.g"]!, beta: n["imageFinal.b"]!)
        let pooled = tape.gatherRows(image, positions: [Int32](repeating: 0, count: batch))
        let imageFeatures = tape.matmul(pooled, n["imageProjection"]!, transposeB: true)

        let logits = tape.scaleByExp(
            tape.matmul(tape.l2Normalize(imageFeatures), tape.l2Normalize(textFeatures), transposeB: true),
            logScale: n["logScale"]!, maxScale: 100)
        let labels = (0..<Int32(batch)).map { $0 }
        let imageToText = tape.crossEntropy(logits, labels: labels)
        let textToImage = tape.crossEntropy(tape.permute(logits, [1, 0]), labels: labels)
        return tape.scale(tape.add(imageToText, textToImage), by: 0.5)
    }
}

@Suite("End-to-end gradient check")
struct TransformerGradientTests {
    @Test func miniCLIPLossGradientMatchesFiniteDifferences() {
        let model = MiniCLIP(seed: 7)
        let batch = 3
        let tokens: [Int32] = [1, 4, 9, 10, 0, 1, 7, 10, 0, 0, 1, 2, 3, 5, 10]
        let eot: [Int32] = [3, 2, 4]
        let pixels = randomParameter([batch, model.patches, model.patchSize], "pixels", seed: 70)
        // h = 5e-3: at 2e-2 the h² truncation error of the projection weights exceeds 1% (seen
        // shrinking 4× per halving of h), below 2.5e-3 rounding noise takes over.
        let report = checkGradients(model.parameters + [pixels], step: 5e-3, maxEntriesPerParameter: 8) { tape in
            model.loss(tape, tokens: tokens, eot: eot, pixels: pixels)
        }
        print("gradcheck miniCLIP (2 blocks per tower): \(report)")
        #expect(report.checkedEntries > 200)
        #expect(report.worstRatioToBound <= 1, "\(report)")
    }
}
