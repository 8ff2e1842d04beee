import CBLAS

/// Process-wide OpenBLAS settings.
///
/// OpenBLAS splits a matrix product across its threads differently for different thread
/// counts, so results are bitwise reproducible only for a fixed count: set it from the run's
/// configuration before the first product.
public enum BLAS {
    public static func setThreadCount(_ count: Int) {
        precondition(count >= 1, "BLAS thread count must be at least 1, got \(count)")
        openblas_set_num_threads(Int32(count))
    }

    public static var threadCount: Int { Int(openblas_get_num_threads()) }
}

/// Row-major C = alpha·op(A)·op(B) + beta·C, with explicit leading dimensions so that callers
/// can address a head's columns inside a wider row (attention reads q, k, v out of one qkv row).
@inline(__always)
func sgemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    cblas_sgemm(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
