import CBLAS
import Synchronization

/// The threads one training or evaluation step computes on: its large matrix products and the
/// loops between them (normalisation, activations, attention's per-head blocks, the optimiser).
///
/// OpenBLAS itself is held at one thread. Its own pool keeps idle workers spinning in
/// `sched_yield` after every product (about 18% of a 2-thread step's samples on 2 cores), which
/// takes the core the loops in between need; and its spin time is read only when the library
/// loads. Instead `sgemm` splits a large product into one single-threaded call per thread over
/// disjoint rows or columns of C, and the loops split their ranges, all on `ComputePool`'s
/// workers, which watch briefly for the next region and then sleep.
///
/// Results are bitwise reproducible for a fixed count: set it from the run's configuration before
/// the first product.
public enum ComputeThreads {
    private static let current = Atomic<Int>(1)
    private static let openBLASPinned: Void = openblas_set_num_threads(1)

    public static func set(_ count: Int) {
        precondition(count >= 1, "compute thread count must be at least 1, got \(count)")
        _ = openBLASPinned
        current.store(count, ordering: .relaxed)
    }

    public static var count: Int {
        _ = openBLASPinned
        return current.load(ordering: .relaxed)
    }
}

/// Runs `body` over `0..<count` in contiguous ranges, one per compute thread, all at once. With
/// one thread, or too little work to split, it is the plain loop on the calling thread.
///
/// Callers split only work whose ranges write disjoint memory and in which every output keeps its
/// summation order, so these loops' results do not depend on the thread count.
@inline(__always)
func parallelRanges(
    _ count: Int, minimumPerRange: Int, threads: Int = ComputeThreads.count,
    _ body: (_ range: Range<Int>, _ rangeIndex: Int) -> Void
) {
    let ranges = min(threads, count / max(minimumPerRange, 1))
    if ranges <= 1 {
        body(0..<count, 0)
        return
    }
    ComputePool.shared.run(count: count, ranges: ranges, body)
}
