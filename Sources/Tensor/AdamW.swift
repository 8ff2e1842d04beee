import Foundation

/// AdamW hyperparameters; the learning rate is passed per step (schedules live with the caller).
public struct AdamWConfiguration: Sendable, Codable, Equatable {
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float

    public init(beta1: Float = 0.9, beta2: Float = 0.98, epsilon: Float = 1e-6, weightDecay: Float = 0.2) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }
}

/// Moments and step count, for checkpoints and exact resume.
public struct AdamWState: Sendable, Codable, Equatable {
    public var step: Int
    public var firstMoments: [[Float]]
    public var secondMoments: [[Float]]
}

/// Thrown when a saved optimiser state does not fit the parameters it is restored into.
public struct AdamWStateMismatch: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Adam with decoupled weight decay (Loshchilov & Hutter; PyTorch's AdamW): parameters whose
/// `decays` flag is set shrink by lr·λ·p before the Adam step, independent of the gradient.
///   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²
///   p ← p − lr·( m/(1−β1ᵗ) ) / ( √(v/(1−β2ᵗ)) + ε )
/// Moment buffers are allocated once, at construction.
public final class AdamW {
    public let parameters: [Tensor]
    public var configuration: AdamWConfiguration
    public private(set) var step = 0
    private let firstMoments: [FloatBuffer]
    private let secondMoments: [FloatBuffer]

    public init(parameters: [Tensor], configuration: AdamWConfiguration = .init()) {
        precondition(parameters.allSatisfy { $0.kind == .parameter }, "AdamW optimises parameters only")
        self.parameters = parameters
        self.configuration = configuration
        firstMoments = parameters.map {
            let b = FloatBuffer(capacity: $0.count); b.zero(); return b
        }
        secondMoments = parameters.map {
            let b = FloatBuffer(capacity: $0.count); b.zero(); return b
        }
    }

    public func update(learningRate: Float) {
        step += 1
        let c = configuration
        let correction1 = 1 - Float(pow(Double(c.beta1), Double(step)))
        let correction2 = 1 - Float(pow(Double(c.beta2), Double(step)))
        for (index, parameter) in parameters.enumerated() {
            guard let grad = parameter.grad else { continue }
            let p = parameter.data, m = firstMoments[index].pointer, v = secondMoments[index].pointer
            let decay: Float = parameter.decays ? 1 - learningRate * c.weightDecay : 1
            parallelRanges(parameter.count, minimumPerRange: elementwiseSplit) { range, _ in
                for i in range {
                    let g = grad[i]
                    m[i] = c.beta1 * m[i] + (1 - c.beta1) * g
                    v[i] = c.beta2 * v[i] + (1 - c.beta2) * g * g
                    let mHat = m[i] / correction1
                    let vHat = v[i] / correction2
                    p[i] = p[i] * decay - learningRate * mHat / (vHat.squareRoot() + c.epsilon)
                }
            }
        }
    }

    public var state: AdamWState {
        AdamWState(
            step: step,
            firstMoments: zip(firstMoments, parameters).map {
                Array(UnsafeBufferPointer(start: $0.pointer, count: $1.count))
            },
            secondMoments: zip(secondMoments, parameters).map {
                Array(UnsafeBufferPointer(start: $0.pointer, count: $1.count))
            })
    }

    public func restore(_ state: AdamWState) throws(AdamWStateMismatch) {
        guard state.firstMoments.count == parameters.count, state.secondMoments.count == parameters.count else {
            throw AdamWStateMismatch(
                description: "optimiser state has \(state.firstMoments.count) parameters, model has \(parameters.count)"
            )
        }
        for (index, parameter) in parameters.enumerated() {
            guard state.firstMoments[index].count == parameter.count,
                state.secondMoments[index].count == parameter.count
            else {
                throw AdamWStateMismatch(
                    description: "optimiser state for parameter \(index) (\(parameter.name)) has the wrong size")
            }
        }
        for index in parameters.indices {
            state.firstMoments[index].withUnsafeBufferPointer {
                firstMoments[index].pointer.update(from: $0.baseAddress!, count: $0.count)
            }
            state.secondMoments[index].withUnsafeBufferPointer {
                secondMoments[index].pointer.update(from: $0.baseAddress!, count: $0.count)
            }
        }
        step = state.step
    }
}

/// Scales all gradients together so that their global L2 norm is at most `maxNorm`.
/// Returns the norm before clipping (summed in Double so the result does not depend on
/// parameter order beyond rounding).
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    // Squares summed in fixed chunks (in parallel), then the chunks' sums in order: the same
    // total whatever the thread count.
    let chunk = elementwiseSplit
    // One buffer of chunk sums for the whole call, sized for the largest parameter.
    let mostChunks = parameters.map { ($0.count + chunk - 1) / chunk }.max() ?? 0
    let partial = UnsafeMutablePointer<Double>.allocate(capacity: max(mostChunks, 1))
    defer { partial.deallocate() }
    var sum = 0.0
    for parameter in parameters {
        guard let grad = parameter.grad else { continue }
        let count = parameter.count, chunks = (count + chunk - 1) / chunk
        parallelRanges(chunks, minimumPerRange: 1) { range, _ in
            for j in range {
                var s = 0.0
                for i in (j * chunk)..<min((j + 1) * chunk, count) { s += Double(grad[i]) * Double(grad[i]) }
                partial[j] = s
            }
        }
        for j in 0..<chunks { sum += partial[j] }
    }
    let norm = Float(sum.squareRoot())
    if norm > maxNorm, norm > 0 {
        let factor = maxNorm / norm
        for parameter in parameters {
            guard let grad = parameter.grad else { continue }
            parallelRanges(parameter.count, minimumPerRange: elementwiseSplit) { range, _ in
                for i in range { grad[i] *= factor }
            }
        }
    }
    return norm
}
