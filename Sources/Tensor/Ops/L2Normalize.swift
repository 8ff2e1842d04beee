// L2 normalisation over the last dimension: y = x / max(‖x‖, ε) (as torch's F.normalize).
//   dx += (dy − y·(y·dy)) / ‖x‖   where ‖x‖ > ε;   dx += dy / ε where the floor applies.

extension Tape {
    public func l2Normalize(_ x: Tensor, epsilon: Float = 1e-12) -> Tensor {
        let channels = x.shape.last ?? 1
        let rows = x.count / max(channels, 1)
        let out = output(shape: x.shape, input: x)
        let norms = scratch(count: rows)
        let px = x.data, po = out.data
        for r in 0..<rows {
            let xr = px + r * channels, yr = po + r * channels
            var sum: Float = 0
            for c in 0..<channels { sum += xr[c] * xr[c] }
            let norm = sum.squareRoot()
            norms[r] = norm
            let inverse = 1 / max(norm, epsilon)
            for c in 0..<channels { yr[c] = xr[c] * inverse }
        }
        record(out) { [self] dout in
            let dx = gradient(of: x)
            for r in 0..<rows {
                let yr = po + r * channels, dyr = dout + r * channels, dxr = dx + r * channels
                let norm = norms[r]
                if norm > epsilon {
                    var dot: Float = 0
                    for c in 0..<channels { dot += yr[c] * dyr[c] }
                    let inverse = 1 / norm
                    for c in 0..<channels { dxr[c] += (dyr[c] - yr[c] * dot) * inverse }
                } else {
                    for c in 0..<channels { dxr[c] += dyr[c] / epsilon }
                }
            }
        }
        return out
    }
}
