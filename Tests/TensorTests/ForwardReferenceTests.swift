import Foundation
import TensorTestSupport
import Testing

@testable import Tensor

/// Forward values against straightforward Float64 re-implementations (the gradient checks only
/// prove that backward matches forward; these prove forward computes the intended function).
@Suite("Forward values against Float64 references")
struct ForwardReferenceTests {
    static let tolerance = 1e-4

    func d(_ t: Tensor) -> [Double] { t.scalars.map(Double.init) }

    @Test func matmulFamily() {
        let tape = Tape()
        let a = randomParameter([2, 3, 4], "a", seed: 1), b = randomParameter([4, 5], "b", seed: 2)
        let av = d(a), bv = d(b)
        var expected = [Double](repeating: 0, count: 2 * 3 * 5)
        for r in 0..<6 { for j in 0..<5 { for k in 0..<4 { expected[r * 5 + j] += av[r * 4 + k] * bv[k * 5 + j] } } }
        #expect(maxRelativeDifference(tape.matmul(a, b).scalars, expected) < Self.tolerance)

        // batched with both transposes: C_i = A_iᵀ · B_iᵀ
        let at = randomParameter([3, 4, 2], "at", seed: 3), bt = randomParameter([3, 5, 4], "bt", seed: 4)
        let atv = d(at), btv = d(bt)
        var batched = [Double](repeating: 0, count: 3 * 2 * 5)
        for i in 0..<3 {
            for r in 0..<2 {
                for j in 0..<5 {
                    for k in 0..<4 {
                        batched[(i * 2 + r) * 5 + j] += atv[(i * 4 + k) * 2 + r] * btv[(i * 5 + j) * 4 + k]
                    }
                }
            }
        }
        #expect(
            maxRelativeDifference(tape.batchedMatmul(at, bt, transposeA: true, transposeB: true).scalars, batched)
                < Self.tolerance)

        let w = randomParameter([5, 4], "w", seed: 5), bias = randomParameter([5], "bias", seed: 6)
        let wv = d(w), biasv = d(bias)
        var linear = [Double](repeating: 0, count: 6 * 5)
        for r in 0..<6 {
            for o in 0..<5 {
                linear[r * 5 + o] = biasv[o]
                for k in 0..<4 { linear[r * 5 + o] += av[r * 4 + k] * wv[o * 4 + k] }
            }
        }
        let y = tape.linear(a, weight: w, bias: bias)
        #expect(y.shape == [2, 3, 5])
        #expect(maxRelativeDifference(y.scalars, linear) < Self.tolerance)
    }

    @Test func layerNormAndActivations() {
        let tape = Tape()
        let x = randomParameter([3, 6], "x", seed: 7, std: 3, offset: 2)
        let g = randomParameter([6], "g", seed: 8), b = randomParameter([6], "b", seed: 9)
        let xv = d(x), gv = d(g), bv = d(b)
        var expected: [Double] = []
        for r in 0..<3 {
            let row = xv[(r * 6)..<(r * 6 + 6)]
            let mu = row.reduce(0, +) / 6
            let variance = row.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / 6
            for (c, v) in row.enumerated() {
                expected.append((v - mu) / (variance + 1e-5).squareRoot() * gv[c] + bv[c])
            }
        }
        #expect(maxRelativeDifference(tape.layerNorm(x, gamma: g, beta: b).scalars, expected) < Self.tolerance)

        let gelu = xv.map { 0.5 * $0 * (1 + tanh((2 / Double.pi).squareRoot() * ($0 + 0.044715 * $0 * $0 * $0))) }
        #expect(maxRelativeDifference(tape.gelu(x).scalars, gelu) < Self.tolerance)
        let quick = xv.map { $0 / (1 + Foundation.exp(-1.702 * $0)) }
        #expect(maxRelativeDifference(tape.quickGELU(x).scalars, quick) < Self.tolerance)
    }

    @Test func causalSoftmaxAndAttention() {
        let tape = Tape()
        let batch = 2, steps = 4, width = 6, heads = 2, headWidth = 3
        let qkv = randomParameter([batch, steps, 3 * width], "qkv", seed: 10)
        let v = d(qkv)
        var expected = [Double](repeating: 0, count: batch * steps * width)
        for b in 0..<batch {
            for h in 0..<heads {
                for i in 0..<steps {
                    func at(_ t: Int, _ part: Int, _ c: Int) -> Double {
                        v[(b * steps + t) * 3 * width + part * width + h * headWidth + c]
                    }
                    var scores = (0...i).map { j in
                        (0..<headWidth).map { at(i, 0, $0) * at(j, 1, $0) }.reduce(0, +)
                            / Double(headWidth).squareRoot()
                    }
                    let top = scores.max()!
                    scores = scores.map { Foundation.exp($0 - top) }
                    let total = scores.reduce(0, +)
                    for c in 0..<headWidth {
                        expected[(b * steps + i) * width + h * headWidth + c] = (0...i).map {
                            scores[$0] / total * at($0, 2, c)
                        }.reduce(0, +)
                    }
                }
            }
        }
        #expect(
            maxRelativeDifference(tape.attention(qkv, heads: heads, causal: true).scalars, expected) < Self.tolerance)

        let x = randomParameter([2, 3, 3], "x", seed: 11)
        let y = tape.softmax(x, scale: 2, causal: true).scalars
        let xv = d(x)
        for block in 0..<2 {
            for i in 0..<3 {
                let row = (0...i).map { Foundation.exp(2 * xv[(block * 3 + i) * 3 + $0]) }
                let total = row.reduce(0, +)
                for j in 0..<3 {
                    let want = j <= i ? row[j] / total : 0
                    #expect(abs(Double(y[(block * 3 + i) * 3 + j]) - want) < 1e-6)
                }
            }
        }
    }

    /// The fused attention equals the same computation spelled with primitive operations
    /// (permute, batched products, masked softmax), in values and in gradients.
    @Test(arguments: [false, true])
    func fusedAttentionMatchesComposition(causal: Bool) {
        let batch = 2, steps = 5, width = 8, heads = 2, headWidth = 4
        let q = randomParameter([batch, steps, width], "q", seed: 12)
        let k = randomParameter([batch, steps, width], "k", seed: 13)
        let v = randomParameter([batch, steps, width], "v", seed: 14)
        let seed = (0..<(batch * steps * width)).map { Float($0 % 7) - 3 }

        let fusedTape = Tape()
        let fused = fusedTape.attention(fusedTape.concat([q, k, v], axis: 2), heads: heads, causal: causal)
        let fusedValues = fused.scalars
        fusedTape.backward(fused, seed: seed)
        let fusedGradients = [q, k, v].map { $0.gradient! }

        zeroGradients([q, k, v])
        let tape = Tape()
        func heads_(_ x: Tensor) -> Tensor {
            tape.permute(tape.reshape(x, [batch, steps, heads, headWidth]), [0, 2, 1, 3])
        }
        let scores = tape.batchedMatmul(heads_(q), heads_(k), transposeB: true)
        let weights = tape.softmax(scores, scale: 1 / Float(headWidth).squareRoot(), causal: causal)
        let merged = tape.reshape(
            tape.permute(tape.batchedMatmul(weights, heads_(v)), [0, 2, 1, 3]), [batch, steps, width])
        tape.backward(merged, seed: seed)

        #expect(maxRelativeDifference(fusedValues, merged.scalars.map(Double.init)) < 1e-5)
        for (fusedGradient, tensor) in zip(fusedGradients, [q, k, v]) {
            #expect(
                maxRelativeDifference(fusedGradient, tensor.gradient!.map(Double.init)) < 1e-4,
                "gradient of \(tensor.name)")
        }
        var qkv: [Float] = []
        let qv = q.scalars, kv = k.scalars, vv = v.scalars
        for row in 0..<(batch * steps) {
            let columns = (row * width)..<(row * width + width)
            qkv.append(contentsOf: qv[columns])
            qkv.append(contentsOf: kv[columns])
            qkv.append(contentsOf: vv[columns])
        }
        let reference = referenceAttention(qkv, batch: batch, steps: steps, width: width, heads: heads, causal: causal)
        #expect(maxRelativeDifference(fusedValues, reference) < 1e-4)
    }

    func referenceAttention(_ v: [Float], batch: Int, steps: Int, width: Int, heads: Int, causal: Bool) -> [Double] {
        let headWidth = width / heads
        var out = [Double](repeating: 0, count: batch * steps * width)
        for b in 0..<batch {
            for h in 0..<heads {
                for i in 0..<steps {
                    func at(_ t: Int, _ part: Int, _ c: Int) -> Double {
                        Double(v[(b * steps + t) * 3 * width + part * width + h * headWidth + c])
                    }
                    let visible = causal ? i + 1 : steps
                    var scores = (0..<visible).map { j in
                        (0..<headWidth).map { at(i, 0, $0) * at(j, 1, $0) }.reduce(0, +)
                            / Double(headWidth).squareRoot()
                    }
                    let top = scores.max()!
                    scores = scores.map { Foundation.exp($0 - top) }
                    let total = scores.reduce(0, +)
                    for c in 0..<headWidth {
                        out[(b * steps + i) * width + h * headWidth + c] = (0..<visible).map {
                            scores[$0] / total * at($0, 2, c)
                        }.reduce(0, +)
                    }
                }
            }
        }
        return out
    }
}
