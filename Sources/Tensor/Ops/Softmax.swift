import Foundation

// Softmax over the last dimension of scaled scores, with an optional causal mask for square
// [..., T, T] score blocks (row i sees columns 0...i; masked entries are exactly 0):
//   y = softmax(scale·x)
//   dx += scale·y ⊙ (dy − Σ_j y_j·dy_j)
// Masked entries have y = 0, so they receive no gradient without a special case.

func softmaxRowsForward(
    out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, rows: Int, columns: Int,
    scale: Float, causal: Bool
) {
    for r in 0..<rows {
        let xr = x + r * columns, yr = out + r * columns
        // With a causal mask, row r of each T×T block sees columns 0...(r mod T).
        let visible = causal ? (r % columns) + 1 : columns
        var maxValue = -Float.infinity
        for c in 0..<visible { maxValue = max(maxValue, scale * xr[c]) }
        // The exponentials first, in a loop of their own that vectorises; then the sum in order.
        for c in 0..<visible { yr[c] = fastExp(scale * xr[c] - maxValue) }
        var sum: Float = 0
        for c in 0..<visible { sum += yr[c] }
        let inverse = 1 / sum
        for c in 0..<visible { yr[c] *= inverse }
        for c in visible..<columns { yr[c] = 0 }
    }
}

func softmaxRowsBackward(
    dx: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, y: UnsafePointer<Float>,
    rows: Int, columns: Int, scale: Float, causal: Bool
) {
    for r in 0..<rows {
        let yr = y + r * columns, dyr = dout + r * columns, dxr = dx + r * columns
        let visible = causal ? (r % columns) + 1 : columns
        var dot: Float = 0
        for c in 0..<visible { dot += yr[c] * dyr[c] }
        for c in 0..<visible { dxr[c] += scale * yr[c] * (dyr[c] - dot) }
    }
}

extension Tape {
    /// Softmax of `scale`·x over the last dimension. With `causal`, x must end in a square
    /// [T, T] block and entries above its diagonal are masked out.
    public func softmax(_ x: Tensor, scale: Float = 1, causal: Bool = false) -> Tensor {
        let columns = x.shape.last ?? 1
        if causal {
            precondition(
                x.rank >= 2 && x.shape[x.rank - 2] == columns,
                "softmax: a causal mask needs [..., T, T] scores, got \(x.shape)")
        }
        let rows = x.count / max(columns, 1)
        let out = output(shape: x.shape, input: x)
        softmaxRowsForward(out: out.data, x: x.data, rows: rows, columns: columns, scale: scale, causal: causal)
        record(out) { [self] dout in
            softmaxRowsBackward(
                dx: gradient(of: x), dout: dout, y: out.data, rows: rows, columns: columns,
                scale: scale, causal: causal)
        }
        return out
    }
}
