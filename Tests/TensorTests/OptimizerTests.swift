import Foundation
import TensorTestSupport
import Testing

@testable import Tensor

@Suite("AdamW and gradient clipping")
struct OptimizerTests {
    /// Three AdamW steps against a Float64 transcription of PyTorch's AdamW update.
    @Test func adamWMatchesReferenceAndHonoursTheDecayFlag() {
        let configuration = AdamWConfiguration(beta1: 0.9, beta2: 0.98, epsilon: 1e-6, weightDecay: 0.5)
        let weight = Tensor(parameter: [2, 2], name: "w", values: [0.5, -1, 2, 0.1])
        let gain = Tensor(parameter: [2], name: "g", values: [1, -0.3])
        #expect(weight.decays && !gain.decays)
        let optimizer = AdamW(parameters: [weight, gain], configuration: configuration)
        let gradients: [[[Float]]] = [
            [[0.1, -0.2, 0.3, 0.05], [1, -1]],
            [[-0.4, 0.2, 0.0, 0.5], [0.5, 2]],
            [[0.3, 0.3, -0.1, -0.2], [-1, 0.25]],
        ]
        var reference = [weight.scalars.map(Double.init), gain.scalars.map(Double.init)]
        var m = reference.map { $0.map { _ in 0.0 } }, v = m
        let lr = 0.01
        for (t, stepGradients) in gradients.enumerated() {
            for (p, tensor) in [weight, gain].enumerated() {
                tensor.withUnsafeMutableGradient { g in for i in 0..<tensor.count { g![i] = stepGradients[p][i] } }
                let decays = p == 0
                for i in 0..<tensor.count {
                    let g = Double(stepGradients[p][i])
                    if decays { reference[p][i] *= 1 - lr * 0.5 }
                    m[p][i] = 0.9 * m[p][i] + 0.1 * g
                    v[p][i] = 0.98 * v[p][i] + 0.02 * g * g
                    let mHat = m[p][i] / (1 - pow(0.9, Double(t + 1)))
                    let vHat = v[p][i] / (1 - pow(0.98, Double(t + 1)))
                    reference[p][i] -= lr * mHat / (vHat.squareRoot() + 1e-6)
                }
            }
            optimizer.update(learningRate: Float(lr))
        }
        #expect(optimizer.step == 3)
        #expect(maxRelativeDifference(weight.scalars, reference[0]) < 1e-5)
        #expect(maxRelativeDifference(gain.scalars, reference[1]) < 1e-5)
    }

    @Test func stateRoundTripsForExactResume() throws {
        func make() -> (Tensor, AdamW) {
            let w = Tensor(parameter: [3], values: [1, 2, 3])
            return (w, AdamW(parameters: [w]))
        }
        func step(_ w: Tensor, _ o: AdamW, _ g: [Float]) {
            w.withUnsafeMutableGradient { for i in 0..<3 { $0![i] = g[i] } }
            o.update(learningRate: 0.1)
        }
        let (w1, o1) = make()
        step(w1, o1, [1, 2, 3]); step(w1, o1, [-1, 0.5, 2])
        let saved = o1.state, savedValues = w1.scalars
        step(w1, o1, [0.3, 0.3, 0.3])

        let (w2, o2) = make()
        w2.scalars = savedValues
        try o2.restore(saved)
        step(w2, o2, [0.3, 0.3, 0.3])
        #expect(w2.scalars == w1.scalars)
        #expect(o2.state == o1.state)

        let (_, other) = (
            Tensor(parameter: [2], values: [0, 0]), AdamW(parameters: [Tensor(parameter: [2], values: [0, 0])])
        )
        #expect(throws: AdamWStateMismatch.self) { try other.restore(saved) }
    }

    @Test func clippingScalesTheGlobalNorm() {
        let a = Tensor(parameter: [2], values: [0, 0]), b = Tensor(parameter: [1], values: [0])
        a.withUnsafeMutableGradient {
            $0![0] = 3; $0![1] = 0
        }
        b.withUnsafeMutableGradient { $0![0] = 4 }
        #expect(clipGradientNorm([a, b], maxNorm: 10) == 5)
        #expect(a.gradient == [3, 0])
        #expect(clipGradientNorm([a, b], maxNorm: 1) == 5)
        #expect(maxRelativeDifference(a.gradient! + b.gradient!, [0.6, 0, 0.8]) < 1e-6)
    }
}
