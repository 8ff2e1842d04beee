import Foundation
import Seeding
import Testing

@testable import Tensor

// Serialized: the compute thread count is process-wide.
@Suite("Compute threads: split products and parallel loops agree with one thread", .serialized)
struct ComputeThreadsTests {
    static func randomValues(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in generator.nextNormal() }
    }

    /// C = alpha·op(A)·op(B) + beta·C on a sub-block of wider matrices (leading dimensions past
    /// the block), for one thread count.
    static func product(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, threads: Int
    ) -> [Float] {
        let pad = 3
        let (aRows, aColumns) = transposeA ? (k, m) : (m, k)
        let (bRows, bColumns) = transposeB ? (n, k) : (k, n)
        let a = randomValues(aRows * (aColumns + pad), seed: 1)
        let b = randomValues(bRows * (bColumns + pad), seed: 2)
        var c = randomValues(m * (n + pad), seed: 3)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    sgemm(
                        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 0.5,
                        a: a.baseAddress!, lda: aColumns + pad, b: b.baseAddress!, ldb: bColumns + pad,
                        beta: 1, c: c.baseAddress!, ldc: n + pad, threads: threads)
                }
            }
        }
        return c
    }

    /// The largest |a − b| over the largest |b|: OpenBLAS may pick other kernels for a part's
    /// shape than for the whole product, so a split product can differ from the single call in
    /// its last bits, and only there.
    static func largestRelativeDifference(_ a: [Float], _ b: [Float]) -> Float {
        let scale = b.map(abs).max() ?? 0
        return zip(a, b).map { abs($0 - $1) }.max().map { $0 / max(scale, .leastNormalMagnitude) } ?? 0
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func splitProductAgreesWithTheSingleCall(transposes: (Bool, Bool)) {
        // Tall (split by rows) and wide (split by columns), both past the split threshold, with
        // sizes that are not multiples of the split alignment.
        for (m, n, k) in [(203, 61, 131), (45, 230, 140)] {
            #expect(m * n * k >= sgemmSplitWork)
            let single = Self.product(
                transposeA: transposes.0, transposeB: transposes.1, m: m, n: n, k: k, threads: 1)
            for threads in [2, 3] {
                let split = Self.product(
                    transposeA: transposes.0, transposeB: transposes.1, m: m, n: n, k: k, threads: threads)
                let again = Self.product(
                    transposeA: transposes.0, transposeB: transposes.1, m: m, n: n, k: k, threads: threads)
                #expect(split == again, "not reproducible: m \(m) n \(n) k \(k), \(threads) threads")
                let error = Self.largestRelativeDifference(split, single)
                #expect(error <= 1e-6, "m \(m) n \(n) k \(k), \(threads) threads: \(error)")
            }
        }
    }

    @Test func fastExpIsWithinTwoULPOfExp() {
        var worst = 0.0
        var x: Float = -87
        while x <= 88 {
            let exact = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(fastExp(x)) - exact) / exact)
            x += 0.001
        }
        #expect(worst <= 2 * Double(Float.ulpOfOne), "worst relative error \(worst)")
        #expect(fastExp(0) == 1)
        #expect(fastExp(-200) >= 0 && fastExp(-200) < 1e-37)
        #expect(fastExp(200).isFinite)
    }

    /// A pre-LN transformer block on a batch large enough that every loop and product splits:
    /// its loss, every gradient and the parameters after one AdamW step.
    static func blockGradients(threads: Int) -> [[Float]] {
        ComputeThreads.set(threads)
        defer { ComputeThreads.set(1) }
        let (batch, steps, width, heads) = (8, 33, 96, 3)
        func parameter(_ shape: [Int], seed: UInt64, scale: Float = 0.1) -> Tensor {
            Tensor(parameter: shape, values: randomValues(shape.reduce(1, *), seed: seed).map { $0 * scale })
        }
        let x = parameter([batch, steps, width], seed: 10, scale: 1)
        let gain = parameter([width], seed: 11), bias = parameter([width], seed: 12)
        let qkvWeight = parameter([3 * width, width], seed: 13), qkvBias = parameter([3 * width], seed: 14)
        let fcWeight = parameter([4 * width, width], seed: 15), fcBias = parameter([4 * width], seed: 16)
        let projWeight = parameter([width, 4 * width], seed: 17)
        let tape = Tape()
        let normed = tape.layerNorm(x, gamma: gain, beta: bias)
        let attended = tape.attention(tape.linear(normed, weight: qkvWeight, bias: qkvBias), heads: heads, causal: true)
        let x1 = tape.add(x, attended)
        let hidden = tape.linear(tape.layerNorm(x1, gamma: gain, beta: bias), weight: fcWeight, bias: fcBias)
        let activated = tape.add(tape.gelu(hidden), tape.quickGELU(hidden))
        let out = tape.add(x1, tape.linear(activated, weight: projWeight, bias: nil))
        let loss = tape.mean(tape.multiply(out, out))
        tape.backward(loss)
        let parameters = [x, gain, bias, qkvWeight, qkvBias, fcWeight, fcBias, projWeight]
        let optimizer = AdamW(parameters: parameters)
        optimizer.update(learningRate: 0.01)
        return [loss.scalars] + parameters.map { $0.gradient ?? [] } + parameters.map(\.scalars)
    }

    @Test func aTransformerBlockGivesTheOneThreadGradientsOnTwo() {
        let one = Self.blockGradients(threads: 1)
        let two = Self.blockGradients(threads: 2)
        #expect(Self.blockGradients(threads: 2) == two, "two threads are not reproducible")
        #expect(one.count == two.count)
        for (index, (a, b)) in zip(one, two).enumerated() {
            let error = Self.largestRelativeDifference(b, a)
            #expect(a.count == b.count && error <= 1e-5, "tensor \(index): two threads differ by \(error)")
        }
    }
}
