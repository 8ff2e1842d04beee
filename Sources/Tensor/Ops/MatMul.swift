// Matrix products through cblas_sgemm. Shapes are row-major; "op(X)" is X or Xᵀ as stored.
// Backward, for C = op(A)·op(B):
//   dA += dC·op(B)ᵀ   (stored as Aᵀ when transposeA: dA += op(B)·dCᵀ)
//   dB += op(A)ᵀ·dC   (stored as Bᵀ when transposeB: dB += dCᵀ·op(A))

/// One product C(m×n) = op(A)·op(B) with A, B stored as given; the forward and both gradient
/// products for a single batch entry.
struct GEMMShape {
    let m: Int, n: Int, k: Int
    let transposeA: Bool, transposeB: Bool
    var lda: Int { transposeA ? m : k }
    var ldb: Int { transposeB ? k : n }

    func forward(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, beta: Float = 0) {
        sgemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: n)
    }

    func backwardA(dc: UnsafePointer<Float>, b: UnsafePointer<Float>, da: UnsafeMutablePointer<Float>) {
        if transposeA {
            // dA (k×m) += op(B)(k×n) · dCᵀ(n×m)
            sgemm(
                transposeA: transposeB, transposeB: true, m: k, n: m, k: n,
                a: b, lda: ldb, b: dc, ldb: n, beta: 1, c: da, ldc: m)
        } else {
            // dA (m×k) += dC(m×n) · op(B)ᵀ(n×k)
            sgemm(
                transposeA: false, transposeB: !transposeB, m: m, n: k, k: n,
                a: dc, lda: n, b: b, ldb: ldb, beta: 1, c: da, ldc: k)
        }
    }

    func backwardB(dc: UnsafePointer<Float>, a: UnsafePointer<Float>, db: UnsafeMutablePointer<Float>) {
        if transposeB {
            // dB (n×k) += dCᵀ(n×m) · op(A)(m×k)
            sgemm(
                transposeA: true, transposeB: transposeA, m: n, n: k, k: m,
                a: dc, lda: n, b: a, ldb: lda, beta: 1, c: db, ldc: k)
        } else {
            // dB (k×n) += op(A)ᵀ(k×m) · dC(m×n)
            sgemm(
                transposeA: !transposeA, transposeB: false, m: k, n: n, k: m,
                a: a, lda: lda, b: dc, ldb: n, beta: 1, c: db, ldc: n)
        }
    }
}

extension Tape {
    /// `a` [..., M, K] times a matrix `b` [K, N] (or [N, K] with `transposeB`) → [..., M, N].
    /// The leading dimensions of `a` are folded into M, so this is one sgemm.
    public func matmul(_ a: Tensor, _ b: Tensor, transposeB: Bool = false) -> Tensor {
        precondition(
            a.rank >= 2 && b.rank == 2, "matmul: a must be [..., M, K] and b a matrix; got \(a.shape) and \(b.shape)")
        let k = a.shape[a.rank - 1]
        let m = a.count / max(k, 1)
        let (bk, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        precondition(k == bk, "matmul: inner dimensions differ: \(a.shape) · \(b.shape)\(transposeB ? "ᵀ" : "")")
        let out = output(shape: Array(a.shape.dropLast()) + [n], inputs: [a, b])
        let gemm = GEMMShape(m: m, n: n, k: k, transposeA: false, transposeB: transposeB)
        gemm.forward(a: a.data, b: b.data, c: out.data)
        record(out) { [self] dout in
            if let da = gradientIfNeeded(a) { gemm.backwardA(dc: dout, b: b.data, da: da) }
            if let db = gradientIfNeeded(b) { gemm.backwardB(dc: dout, a: a.data, db: db) }
        }
        return out
    }

    /// Batched product over equal leading dimensions: `a` [..., M, K], `b` [..., K, N] → [..., M, N]
    /// (with `transposeA` a is stored [..., K, M], with `transposeB` b is [..., N, K]).
    /// One sgemm per batch entry on strided slices.
    public func batchedMatmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(
            a.rank >= 3 && a.rank == b.rank && a.shape.dropLast(2) == b.shape.dropLast(2),
            "batchedMatmul: need equal batch dimensions; got \(a.shape) and \(b.shape)")
        let (m, k) =
            transposeA ? (a.shape[a.rank - 1], a.shape[a.rank - 2]) : (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (bk, n) =
            transposeB ? (b.shape[b.rank - 1], b.shape[b.rank - 2]) : (b.shape[b.rank - 2], b.shape[b.rank - 1])
        precondition(k == bk, "batchedMatmul: inner dimensions differ: \(a.shape) · \(b.shape)")
        let batch = a.shape.dropLast(2).reduce(1, *)
        let out = output(shape: Array(a.shape.dropLast(2)) + [m, n], inputs: [a, b])
        let gemm = GEMMShape(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
        let pa = a.data, pb = b.data, po = out.data
        for i in 0..<batch {
            gemm.forward(a: pa + i * m * k, b: pb + i * k * n, c: po + i * m * n)
        }
        record(out) { [self] dout in
            let da = gradientIfNeeded(a), db = gradientIfNeeded(b)
            for i in 0..<batch {
                if let da { gemm.backwardA(dc: dout + i * m * n, b: pb + i * k * n, da: da + i * m * k) }
                if let db { gemm.backwardB(dc: dout + i * m * n, a: pa + i * m * k, db: db + i * k * n) }
            }
        }
        return out
    }

    /// Fused fully connected layer: `x` [..., In] · `weight`ᵀ [Out, In] + `bias` [Out] → [..., Out].
    /// The bias is written into the output first and the product accumulated onto it (beta 1).
    public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        precondition(
            weight.rank == 2 && x.rank >= 1 && x.shape[x.rank - 1] == weight.shape[1],
            "linear: x \(x.shape) does not match weight [out, in] \(weight.shape)")
        let inFeatures = weight.shape[1], outFeatures = weight.shape[0]
        if let bias {
            precondition(bias.shape == [outFeatures], "linear: bias \(bias.shape) should be [\(outFeatures)]")
        }
        let rows = x.count / max(inFeatures, 1)
        let out = output(
            shape: Array(x.shape.dropLast()) + [outFeatures], inputs: [x, weight] + (bias.map { [$0] } ?? []))
        let gemm = GEMMShape(m: rows, n: outFeatures, k: inFeatures, transposeA: false, transposeB: true)
        let po = out.data
        if let bias {
            let pb = bias.data
            parallelRanges(rows, minimumPerRange: 64) { range, _ in
                for r in range { (po + r * outFeatures).update(from: pb, count: outFeatures) }
            }
        }
        gemm.forward(a: x.data, b: weight.data, c: po, beta: bias == nil ? 0 : 1)
        record(out) { [self] dout in
            if let dx = gradientIfNeeded(x) { gemm.backwardA(dc: dout, b: weight.data, da: dx) }
            if let dw = gradientIfNeeded(weight) { gemm.backwardB(dc: dout, a: x.data, db: dw) }
            if let bias, let db = gradientIfNeeded(bias) {
                // Features in parallel, each summed over the rows in order.
                parallelRanges(outFeatures, minimumPerRange: 16) { features, _ in
                    for r in 0..<rows {
                        let row = dout + r * outFeatures
                        for o in features { db[o] += row[o] }
                    }
                }
            }
        }
        return out
    }
}
