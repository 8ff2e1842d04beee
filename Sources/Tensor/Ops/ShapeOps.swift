// Reshape (a copy: keeps every activation owning its own buffer, which keeps the arena simple;
// the cost is one memcpy next to matrix products), permute (general axis permutation, e.g. the
// [B, T, H, D] ↔ [B, H, T, D] head transpose) and concatenation along an axis.

extension Tape {
    /// Same elements, new shape. One dimension may be -1 (inferred).
    public func reshape(_ x: Tensor, _ shape: [Int]) -> Tensor {
        var resolved = shape
        if let inferred = shape.firstIndex(of: -1) {
            let known = shape.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
            precondition(
                known > 0 && x.count % known == 0, "reshape: cannot infer -1 in \(shape) for \(x.count) elements")
            resolved[inferred] = x.count / known
        }
        precondition(
            Tensor.elementCount(resolved) == x.count,
            "reshape: \(x.shape) has \(x.count) elements, \(shape) needs \(Tensor.elementCount(resolved))")
        let out = output(shape: resolved, input: x)
        out.data.update(from: x.data, count: x.count)
        record(out) { [self] dout in
            let dx = gradient(of: x)
            for i in 0..<x.count { dx[i] += dout[i] }
        }
        return out
    }

    /// out.shape[i] = x.shape[axes[i]].
    public func permute(_ x: Tensor, _ axes: [Int]) -> Tensor {
        precondition(
            axes.count == x.rank && axes.sorted() == Array(0..<x.rank),
            "permute: \(axes) is not a permutation of 0..<\(x.rank)")
        let outShape = axes.map { x.shape[$0] }
        var inputStrides = [Int](repeating: 1, count: x.rank)
        for axis in stride(from: x.rank - 2, through: 0, by: -1) {
            inputStrides[axis] = inputStrides[axis + 1] * x.shape[axis + 1]
        }
        // Strides of the input seen while walking the output in order.
        let gatherStrides = axes.map { inputStrides[$0] }
        let out = output(shape: outShape, input: x)
        let px = x.data, po = out.data
        Broadcast.forEachRow(outputShape: outShape, leftStrides: gatherStrides, rightStrides: gatherStrides) {
            o, i, _, n, s, _ in
            for j in 0..<n { po[o + j] = px[i + j * s] }
        }
        record(out) { [self] dout in
            let dx = gradient(of: x)
            Broadcast.forEachRow(outputShape: outShape, leftStrides: gatherStrides, rightStrides: gatherStrides) {
                o, i, _, n, s, _ in
                for j in 0..<n { dx[i + j * s] += dout[o + j] }
            }
        }
        return out
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    public func concat(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concat: no tensors")
        let first = tensors[0]
        precondition(axis >= 0 && axis < first.rank, "concat: axis \(axis) out of range for rank \(first.rank)")
        for t in tensors {
            precondition(
                t.rank == first.rank && (0..<t.rank).allSatisfy { $0 == axis || t.shape[$0] == first.shape[$0] },
                "concat: \(t.shape) does not match \(first.shape) outside axis \(axis)")
        }
        let outer = first.shape[..<axis].reduce(1, *)
        let inner = first.shape[(axis + 1)...].reduce(1, *)
        let total = tensors.reduce(0) { $0 + $1.shape[axis] }
        var outShape = first.shape
        outShape[axis] = total
        let out = output(shape: outShape, inputs: tensors)
        let po = out.data
        var start = 0
        for t in tensors {
            let block = t.shape[axis] * inner, px = t.data
            for o in 0..<outer { (po + o * total * inner + start * inner).update(from: px + o * block, count: block) }
            start += t.shape[axis]
        }
        record(out) { [self] dout in
            var start = 0
            for t in tensors {
                let block = t.shape[axis] * inner
                if let dx = gradientIfNeeded(t) {
                    for o in 0..<outer {
                        let source = dout + o * total * inner + start * inner, target = dx + o * block
                        for j in 0..<block { target[j] += source[j] }
                    }
                }
                start += t.shape[axis]
            }
        }
        return out
    }
}
