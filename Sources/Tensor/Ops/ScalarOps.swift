import Foundation

// Elementwise exp, scaling by a constant, and the fused CLIP temperature: y = x·exp(s) for a
// one-element parameter s (the log logit scale), optionally capped: y = x·min(exp(s), max).
//   dx += dy·exp(s),  ds += Σ dy·y   (0 when the cap is active: the cap is flat there)

extension Tape {
    public func exp(_ x: Tensor) -> Tensor {
        let out = output(shape: x.shape, input: x)
        let px = x.data, po = out.data
        for i in 0..<x.count { po[i] = expf(px[i]) }
        record(out) { [self] dout in
            let dx = gradient(of: x)
            for i in 0..<x.count { dx[i] += dout[i] * po[i] }
        }
        return out
    }

    public func scale(_ x: Tensor, by factor: Float) -> Tensor {
        let out = output(shape: x.shape, input: x)
        let px = x.data, po = out.data
        for i in 0..<x.count { po[i] = px[i] * factor }
        record(out) { [self] dout in
            let dx = gradient(of: x)
            for i in 0..<x.count { dx[i] += dout[i] * factor }
        }
        return out
    }

    /// x·exp(logScale), with exp(logScale) capped at `maxScale` when given.
    public func scaleByExp(_ x: Tensor, logScale: Tensor, maxScale: Float? = nil) -> Tensor {
        precondition(logScale.count == 1, "scaleByExp: logScale must hold one value, shape is \(logScale.shape)")
        let out = output(shape: x.shape, inputs: [x, logScale])
        let raw = expf(logScale.data[0])
        let capped = maxScale.map { raw > $0 } ?? false
        let factor = capped ? maxScale! : raw
        let px = x.data, po = out.data
        for i in 0..<x.count { po[i] = px[i] * factor }
        record(out) { [self] dout in
            if let dx = gradientIfNeeded(x) {
                for i in 0..<x.count { dx[i] += dout[i] * factor }
            }
            if !capped, let ds = gradientIfNeeded(logScale) {
                var sum: Float = 0
                for i in 0..<x.count { sum += dout[i] * po[i] }
                ds[0] += sum
            }
        }
        return out
    }
}
