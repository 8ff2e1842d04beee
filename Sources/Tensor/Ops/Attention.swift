import Foundation

// Fused multi-head self-attention on a packed qkv tensor [B, T, 3C] (q, k, v side by side, as
// one linear layer produces them) → [B, T, C], heads of width D = C/H.
// Head h of q for sequence b is a T×D block inside qkv with row stride 3C, so the products read
// it in place (sgemm leading dimensions) and no permutes or head-split copies are needed. Only
// the attention weights P [B, H, T, T] are kept for backward.
//   S = scale·Q·Kᵀ, P = softmax(S) (causal mask optional), O = P·V
//   dP = dO·Vᵀ, dV += Pᵀ·dO, dS = P ⊙ (dP − rowsum(P ⊙ dP)), dQ += scale·dS·K, dK += scale·dSᵀ·Q

extension Tape {
    public func attention(_ qkv: Tensor, heads: Int, causal: Bool) -> Tensor {
        precondition(
            qkv.rank == 3 && qkv.shape[2] % (3 * heads) == 0,
            "attention: qkv must be [B, T, 3C] with C divisible by \(heads) heads; got \(qkv.shape)")
        let batch = qkv.shape[0], steps = qkv.shape[1], width = qkv.shape[2] / 3
        let headWidth = width / heads
        let scale = 1 / Float(headWidth).squareRoot()
        let rowStride = 3 * width
        let out = output(shape: [batch, steps, width], input: qkv)
        let weights = scratch(count: batch * heads * steps * steps)
        let pqkv = qkv.data, po = out.data
        // Every (sequence, head) pair reads and writes its own blocks, so the pairs run in
        // parallel and the result does not depend on the thread count.
        parallelRanges(batch * heads, minimumPerRange: 1) { pairs, _ in
            for pair in pairs {
                let b = pair / heads, h = pair % heads
                let q = pqkv + b * steps * rowStride + h * headWidth
                let k = q + width, v = q + 2 * width
                let p = weights + pair * steps * steps
                sgemm(
                    transposeA: false, transposeB: true, m: steps, n: steps, k: headWidth,
                    a: q, lda: rowStride, b: k, ldb: rowStride, beta: 0, c: p, ldc: steps, threads: 1)
                softmaxRowsForward(out: p, x: p, rows: steps, columns: steps, scale: scale, causal: causal)
                sgemm(
                    transposeA: false, transposeB: false, m: steps, n: headWidth, k: steps,
                    a: p, lda: steps, b: v, ldb: rowStride, beta: 0,
                    c: po + b * steps * width + h * headWidth, ldc: width, threads: 1)
            }
        }
        record(out) { [self] dout in
            let dqkv = gradient(of: qkv)
            // dP for one head at a time, one buffer per range of pairs (taken here: the arena is
            // not for concurrent use). A pair's dq, dk, dv are its own columns of its own rows.
            let rangeCount = ComputeThreads.count
            let dpBuffers = scratch(count: rangeCount * steps * steps)
            parallelRanges(batch * heads, minimumPerRange: 1) { pairs, range in
                let dp = dpBuffers + range * steps * steps
                for pair in pairs {
                    let b = pair / heads, h = pair % heads
                    let offset = b * steps * rowStride + h * headWidth
                    let q = pqkv + offset, k = q + width, v = q + 2 * width
                    let dq = dqkv + offset, dk = dq + width, dv = dq + 2 * width
                    let p = weights + pair * steps * steps
                    let dO = dout + b * steps * width + h * headWidth
                    sgemm(
                        transposeA: false, transposeB: true, m: steps, n: steps, k: headWidth,
                        a: dO, lda: width, b: v, ldb: rowStride, beta: 0, c: dp, ldc: steps, threads: 1)
                    sgemm(
                        transposeA: true, transposeB: false, m: steps, n: headWidth, k: steps,
                        a: p, lda: steps, b: dO, ldb: width, beta: 1, c: dv, ldc: rowStride, threads: 1)
                    // dS in place of dP (softmaxRowsBackward accumulates, so start from zero).
                    for r in 0..<steps {
                        let pr = p + r * steps, dpr = dp + r * steps
                        var dot: Float = 0
                        for c in 0..<steps { dot += pr[c] * dpr[c] }
                        for c in 0..<steps { dpr[c] = pr[c] * (dpr[c] - dot) }
                    }
                    sgemm(
                        transposeA: false, transposeB: false, m: steps, n: headWidth, k: steps, alpha: scale,
                        a: dp, lda: steps, b: k, ldb: rowStride, beta: 1, c: dq, ldc: rowStride, threads: 1)
                    sgemm(
                        transposeA: true, transposeB: false, m: steps, n: headWidth, k: steps, alpha: scale,
                        a: dp, lda: steps, b: q, ldb: rowStride, beta: 1, c: dk, ldc: rowStride, threads: 1)
                }
            }
        }
        return out
    }
}
