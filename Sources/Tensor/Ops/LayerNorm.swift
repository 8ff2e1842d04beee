import Foundation

// Layer normalisation over the last dimension, fused: y = (x − μ)·rstd·γ + β. Forward saves μ
// and rstd per row; backward uses them instead of recomputing the statistics:
//   x̂ = (x − μ)·rstd,  g = dy·γ
//   dx += rstd·(g − mean(g) − x̂·mean(g·x̂)),  dγ += Σ dy·x̂,  dβ += Σ dy

func layerNormForward(
    out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
    x: UnsafePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
    rows: Int, channels: Int, epsilon: Float
) {
    parallelRanges(rows, minimumPerRange: 32) { rowRange, _ in
        for r in rowRange {
            layerNormForwardRow(
                out: out + r * channels, mean: mean + r, rstd: rstd + r, x: x + r * channels, gamma: gamma,
                beta: beta, channels: channels, epsilon: epsilon)
        }
    }
}

@inline(__always)
private func layerNormForwardRow(
    out yr: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
    x xr: UnsafePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
    channels: Int, epsilon: Float
) {
    // Statistics in Double: the rows are short and this keeps the variance free of
    // cancellation when |μ| ≫ σ.
    var sum = 0.0
    for c in 0..<channels { sum += Double(xr[c]) }
    let mu = sum / Double(channels)
    var variance = 0.0
    for c in 0..<channels { let d = Double(xr[c]) - mu; variance += d * d }
    variance /= Double(channels)
    let s = Float(1 / (variance + Double(epsilon)).squareRoot())
    let m = Float(mu)
    for c in 0..<channels { yr[c] = (xr[c] - m) * s * gamma[c] + beta[c] }
    mean.pointee = m
    rstd.pointee = s
}

/// dx row by row (rows in parallel); dγ and dβ channel by channel (channels in parallel), each
/// still summed over the rows in order, so the result does not depend on the thread count.
func layerNormBackward(
    dx: UnsafeMutablePointer<Float>?, dgamma: UnsafeMutablePointer<Float>?, dbeta: UnsafeMutablePointer<Float>?,
    dout: UnsafePointer<Float>, x: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
    mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, rows: Int, channels: Int
) {
    if let dx {
        parallelRanges(rows, minimumPerRange: 32) { rowRange, _ in
            for r in rowRange {
                let xr = x + r * channels, dyr = dout + r * channels, dxr = dx + r * channels
                let m = mean[r], s = rstd[r]
                var meanG: Float = 0, meanGX: Float = 0
                for c in 0..<channels {
                    let xhat = (xr[c] - m) * s
                    let g = dyr[c] * gamma[c]
                    meanG += g
                    meanGX += g * xhat
                }
                meanG /= Float(channels)
                meanGX /= Float(channels)
                for c in 0..<channels {
                    let xhat = (xr[c] - m) * s
                    dxr[c] += s * (dyr[c] * gamma[c] - meanG - xhat * meanGX)
                }
            }
        }
    }
    guard dgamma != nil || dbeta != nil else { return }
    parallelRanges(channels, minimumPerRange: 16) { channelRange, _ in
        for r in 0..<rows {
            let xr = x + r * channels, dyr = dout + r * channels
            let m = mean[r], s = rstd[r]
            for c in channelRange {
                if let dgamma { dgamma[c] += dyr[c] * ((xr[c] - m) * s) }
                if let dbeta { dbeta[c] += dyr[c] }
            }
        }
    }
}

extension Tape {
    /// Layer norm over the last dimension of `x` [..., C] with gain and bias [C].
    public func layerNorm(_ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float = 1e-5) -> Tensor {
        let channels = x.shape.last ?? 1
        precondition(
            gamma.shape == [channels] && beta.shape == [channels],
            "layerNorm: gamma \(gamma.shape) and beta \(beta.shape) should be [\(channels)] for x \(x.shape)")
        let rows = x.count / max(channels, 1)
        let out = output(shape: x.shape, inputs: [x, gamma, beta])
        let mean = scratch(count: rows), rstd = scratch(count: rows)
        layerNormForward(
            out: out.data, mean: mean, rstd: rstd, x: x.data, gamma: gamma.data, beta: beta.data,
            rows: rows, channels: channels, epsilon: epsilon)
        record(out) { [self] dout in
            layerNormBackward(
                dx: gradientIfNeeded(x), dgamma: gradientIfNeeded(gamma), dbeta: gradientIfNeeded(beta),
                dout: dout, x: x.data, gamma: gamma.data, mean: mean, rstd: rstd,
                rows: rows, channels: channels)
        }
        return out
    }
}
