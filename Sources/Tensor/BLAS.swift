import CBLAS

/// Products smaller than this many multiply-adds run on one thread: below it, waking a second
/// thread costs about as much as it saves.
let sgemmSplitWork = 1 << 20
/// Split points are multiples of this, so each part keeps OpenBLAS's full-width micro-kernels.
private let sgemmSplitAlignment = 16

/// Row-major C = alpha·op(A)·op(B) + beta·C, with explicit leading dimensions so that callers
/// can address a head's columns inside a wider row (attention reads q, k, v out of one qkv row).
///
/// A large product runs as one single-threaded sgemm per compute thread on a block of C's rows
/// (or columns, when C is wider than tall). Each element is still one call's dot product over
/// the whole of k, but OpenBLAS may pick other kernels for a block's shape, so a split product
/// can differ from the single call in its last bits; for a fixed thread count it is reproducible.
@inline(__always)
public func sgemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int = ComputeThreads.count
) {
    let splitRows = m >= n
    let blocks = ((splitRows ? m : n) + sgemmSplitAlignment - 1) / sgemmSplitAlignment
    guard threads > 1, m * n * k >= sgemmSplitWork, blocks > 1 else {
        singleThreadSgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        return
    }
    parallelRanges(blocks, minimumPerRange: 1, threads: threads) { range, _ in
        let first = range.lowerBound * sgemmSplitAlignment
        let end = min(range.upperBound * sgemmSplitAlignment, splitRows ? m : n)
        if splitRows {
            // Rows of op(A) start at row i of A, or at its column i when A is stored transposed.
            singleThreadSgemm(
                transposeA, transposeB, end - first, n, k, alpha, a + (transposeA ? first : first * lda), lda,
                b, ldb, beta, c + first * ldc, ldc)
        } else {
            singleThreadSgemm(
                transposeA, transposeB, m, end - first, k, alpha, a, lda,
                b + (transposeB ? first * ldb : first), ldb, beta, c + first, ldc)
        }
    }
}

@inline(__always)
private func singleThreadSgemm(
    _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
    _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
    _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
) {
    cblas_sgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
