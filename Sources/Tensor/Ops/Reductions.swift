// Means: of all elements (→ a scalar, shape []) and along one axis (that axis removed).
// Backward spreads dy/n evenly over the averaged elements.

extension Tape {
    public func mean(_ x: Tensor) -> Tensor {
        let out = output(shape: [], input: x)
        let px = x.data
        var sum = 0.0
        for i in 0..<x.count { sum += Double(px[i]) }
        out.data[0] = Float(sum / Double(max(x.count, 1)))
        record(out) { [self] dout in
            let dx = gradient(of: x)
            let share = dout[0] / Float(max(x.count, 1))
            for i in 0..<x.count { dx[i] += share }
        }
        return out
    }

    public func mean(_ x: Tensor, axis: Int) -> Tensor {
        precondition(axis >= 0 && axis < x.rank, "mean: axis \(axis) out of range for \(x.shape)")
        let outer = x.shape[..<axis].reduce(1, *), length = x.shape[axis], inner = x.shape[(axis + 1)...].reduce(1, *)
        var outShape = x.shape
        outShape.remove(at: axis)
        let out = output(shape: outShape, input: x)
        let px = x.data, po = out.data
        let inverse = 1 / Float(max(length, 1))
        for o in 0..<outer {
            let target = po + o * inner
            target.update(repeating: 0, count: inner)
            for l in 0..<length {
                let source = px + (o * length + l) * inner
                for i in 0..<inner { target[i] += source[i] }
            }
            for i in 0..<inner { target[i] *= inverse }
        }
        record(out) { [self] dout in
            let dx = gradient(of: x)
            for o in 0..<outer {
                for l in 0..<length {
                    let target = dx + (o * length + l) * inner, source = dout + o * inner
                    for i in 0..<inner { target[i] += source[i] * inverse }
                }
            }
        }
        return out
    }
}
