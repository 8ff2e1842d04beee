// add and multiply with NumPy broadcasting. Backward reduces the output gradient over every
// dimension an operand was broadcast along (a stride-0 accumulation does exactly that).

/// Elementwise loops shorter than this run on one thread.
let elementwiseSplit = 1 << 14

extension Tape {
    public func add(_ a: Tensor, _ b: Tensor) -> Tensor {
        binary(a, b, name: "add")
    }

    public func multiply(_ a: Tensor, _ b: Tensor) -> Tensor {
        binary(a, b, name: "multiply", isProduct: true)
    }

    private func binary(_ a: Tensor, _ b: Tensor, name: String, isProduct: Bool = false) -> Tensor {
        let shape: [Int]
        do { shape = try Broadcast.shape(a.shape, b.shape) } catch { preconditionFailure("\(name): \(error)") }
        let out = output(shape: shape, inputs: [a, b])
        let sa = Broadcast.strides(of: a.shape, in: shape)
        let sb = Broadcast.strides(of: b.shape, in: shape)
        let pa = a.data, pb = b.data, po = out.data
        if a.shape == b.shape {
            parallelRanges(out.count, minimumPerRange: elementwiseSplit) { range, _ in
                if isProduct {
                    for i in range { po[i] = pa[i] * pb[i] }
                } else {
                    for i in range { po[i] = pa[i] + pb[i] }
                }
            }
        } else {
            Broadcast.forEachRow(outputShape: shape, leftStrides: sa, rightStrides: sb) { o, ia, ib, n, sia, sib in
                if isProduct {
                    for j in 0..<n { po[o + j] = pa[ia + j * sia] * pb[ib + j * sib] }
                } else {
                    for j in 0..<n { po[o + j] = pa[ia + j * sia] + pb[ib + j * sib] }
                }
            }
        }
        record(out) { [self] dout in
            let da = gradientIfNeeded(a), db = gradientIfNeeded(b)
            if a.shape == b.shape {
                // The residual stream's adds: one element each, so the ranges run in parallel.
                parallelRanges(out.count, minimumPerRange: elementwiseSplit) { range, _ in
                    for i in range {
                        if let da { da[i] += isProduct ? dout[i] * pb[i] : dout[i] }
                        if let db { db[i] += isProduct ? dout[i] * pa[i] : dout[i] }
                    }
                }
                return
            }
            Broadcast.forEachRow(outputShape: shape, leftStrides: sa, rightStrides: sb) { o, ia, ib, n, sia, sib in
                if let da {
                    if isProduct {
                        for j in 0..<n { da[ia + j * sia] += dout[o + j] * pb[ib + j * sib] }
                    } else {
                        for j in 0..<n { da[ia + j * sia] += dout[o + j] }
                    }
                }
                if let db {
                    if isProduct {
                        for j in 0..<n { db[ib + j * sib] += dout[o + j] * pa[ia + j * sia] }
                    } else {
                        for j in 0..<n { db[ib + j * sib] += dout[o + j] }
                    }
                }
            }
        }
        return out
    }
}
