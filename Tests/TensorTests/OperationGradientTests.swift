import TensorTestSupport
import Testing

@testable import Tensor

/// Every operation's backward against centred finite differences, tolerance 1e-2 relative.
@Suite("Gradient checks per operation")
struct OperationGradientTests {
    static let tolerance: Float = 1e-2

    func expectGradientsMatch(
        _ name: String, _ parameters: [Tensor], step: Float = 1e-2,
        _ function: (Tape) -> Tensor
    ) {
        let report = checkGradients(parameters, tolerance: Self.tolerance, step: step, function)
        print("gradcheck \(name): \(report)")
        #expect(report.checkedEntries > 0)
        #expect(report.worstRatioToBound <= 1, "\(name): \(report)")
    }

    @Test func matmul() {
        let a = randomParameter([2, 3, 4], "a", seed: 1), b = randomParameter([4, 5], "b", seed: 2)
        expectGradientsMatch("matmul", [a, b]) { $0.matmul(a, b) }
        let bt = randomParameter([5, 4], "bT", seed: 3)
        expectGradientsMatch("matmul transposeB", [a, bt]) { $0.matmul(a, bt, transposeB: true) }
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func batchedMatmul(transposeA: Bool, transposeB: Bool) {
        let a = randomParameter(transposeA ? [2, 2, 4, 3] : [2, 2, 3, 4], "a", seed: 4)
        let b = randomParameter(transposeB ? [2, 2, 5, 4] : [2, 2, 4, 5], "b", seed: 5)
        expectGradientsMatch("batchedMatmul tA=\(transposeA) tB=\(transposeB)", [a, b]) {
            $0.batchedMatmul(a, b, transposeA: transposeA, transposeB: transposeB)
        }
    }

    @Test func linear() {
        let x = randomParameter([2, 3, 6], "x", seed: 6)
        let w = randomParameter([4, 6], "w", seed: 7), b = randomParameter([4], "b", seed: 8)
        expectGradientsMatch("linear", [x, w, b]) { $0.linear(x, weight: w, bias: b) }
        expectGradientsMatch("linear without bias", [x, w]) { $0.linear(x, weight: w, bias: nil) }
    }

    @Test(arguments: [
        ([2, 3, 4], [2, 3, 4]), ([2, 3, 4], [4]), ([2, 3, 4], [3, 1]), ([2, 1, 4], [1, 3, 1]), ([3, 4], []),
    ])
    func addAndMultiplyBroadcast(left: [Int], right: [Int]) {
        let a = randomParameter(left, "a", seed: 9), b = randomParameter(right, "b", seed: 10)
        expectGradientsMatch("add \(left)+\(right)", [a, b]) { $0.add(a, b) }
        expectGradientsMatch("multiply \(left)*\(right)", [a, b]) { $0.multiply(a, b) }
    }

    @Test func layerNorm() {
        let x = randomParameter([3, 2, 8], "x", seed: 11, std: 2, offset: 1)
        let gamma = randomParameter([8], "gamma", seed: 12, offset: 1), beta = randomParameter([8], "beta", seed: 13)
        expectGradientsMatch("layerNorm", [x, gamma, beta]) { $0.layerNorm(x, gamma: gamma, beta: beta) }
    }

    @Test func gelu() {
        let x = randomParameter([4, 7], "x", seed: 14, std: 2)
        expectGradientsMatch("gelu", [x]) { $0.gelu(x) }
    }

    @Test func quickGELU() {
        let x = randomParameter([4, 7], "x", seed: 15, std: 2)
        expectGradientsMatch("quickGELU", [x]) { $0.quickGELU(x) }
    }

    @Test(arguments: [false, true])
    func softmax(causal: Bool) {
        let x = randomParameter([2, 3, 5, 5], "x", seed: 16)
        expectGradientsMatch("softmax causal=\(causal)", [x]) { $0.softmax(x, scale: 0.7, causal: causal) }
    }

    @Test(arguments: [false, true])
    func attention(causal: Bool) {
        let qkv = randomParameter([2, 5, 3 * 8], "qkv", seed: 17)
        expectGradientsMatch("attention causal=\(causal)", [qkv]) { $0.attention(qkv, heads: 2, causal: causal) }
    }

    @Test func embedding() {
        let table = randomParameter([6, 4], "table", seed: 18)
        let ids: [Int32] = [0, 5, 2, 2, 5, 1]
        expectGradientsMatch("embedding", [table]) { $0.embedding(ids, shape: [2, 3], table: table) }
    }

    @Test func gatherRows() {
        let x = randomParameter([3, 4, 5], "x", seed: 19)
        expectGradientsMatch("gatherRows", [x]) { $0.gatherRows(x, positions: [3, 0, 3]) }
    }

    @Test func reshapeAndPermute() {
        let x = randomParameter([2, 3, 4], "x", seed: 20)
        expectGradientsMatch("reshape", [x]) { $0.reshape(x, [6, -1]) }
        let y = randomParameter([2, 3, 2, 4], "y", seed: 21)
        expectGradientsMatch("permute", [y]) { $0.permute(y, [0, 2, 1, 3]) }
        expectGradientsMatch("permute reverse", [y]) { $0.permute(y, [3, 2, 1, 0]) }
    }

    @Test func concat() {
        let a = randomParameter([2, 1, 3], "a", seed: 22), b = randomParameter([2, 4, 3], "b", seed: 23)
        expectGradientsMatch("concat axis 1", [a, b]) { $0.concat([a, b], axis: 1) }
        let c = randomParameter([2, 4, 2], "c", seed: 24)
        expectGradientsMatch("concat last axis", [b, c]) { $0.concat([b, c], axis: 2) }
    }

    @Test func mean() {
        let x = randomParameter([3, 4, 5], "x", seed: 25)
        expectGradientsMatch("mean", [x]) { $0.mean(x) }
        expectGradientsMatch("mean axis 1", [x]) { $0.mean(x, axis: 1) }
    }

    @Test func l2Normalize() {
        let x = randomParameter([4, 6], "x", seed: 26)
        expectGradientsMatch("l2Normalize", [x]) { $0.l2Normalize(x) }
    }

    @Test func crossEntropy() {
        let logits = randomParameter([5, 7], "logits", seed: 27, std: 3)
        expectGradientsMatch("crossEntropy", [logits]) { $0.crossEntropy(logits, labels: [0, 6, 3, 3, 1]) }
    }

    @Test func scalarOps() {
        let x = randomParameter([3, 4], "x", seed: 28)
        let logScale = Tensor(parameter: [], name: "logScale", values: [0.8])
        expectGradientsMatch("exp", [x]) { $0.exp(x) }
        expectGradientsMatch("scale", [x]) { $0.scale(x, by: -1.7) }
        expectGradientsMatch("scaleByExp", [x, logScale]) { $0.scaleByExp(x, logScale: logScale, maxScale: 100) }
    }

    @Test func scaleByExpStopsGradientAtTheCap() {
        let x = randomParameter([2, 2], "x", seed: 29)
        let logScale = Tensor(parameter: [1], name: "logScale", values: [5]) // e⁵ ≈ 148 > 100
        let tape = Tape()
        let y = tape.scaleByExp(x, logScale: logScale, maxScale: 100)
        for i in 0..<4 { #expect(abs(y[flat: i] - 100 * x[flat: i]) < 1e-4) }
        tape.backward(tape.mean(y))
        #expect(logScale.gradient == [0])
        #expect(x.gradient == [Float](repeating: 25, count: 4))
    }
}
