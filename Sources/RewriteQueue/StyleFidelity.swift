/// A style's fidelity scores and re-samples, from the counters a shard keeps (status reads
/// these, never the results).
public struct StyleFidelity: Sendable, Equatable {
    /// Resolution of the kept distribution: scores are counted in 0.01-wide buckets.
    public static let buckets = 101

    /// `histogram[b]`: rewrites scoring in [b/100, (b+1)/100); the last bucket holds 1.0.
    public var histogram = [Int](repeating: 0, count: StyleFidelity.buckets)
    /// Scored rewrites under the `--min-fidelity` of the run that made them (kept as the best
    /// of samples that all fell short).
    public var belowThreshold = 0
    /// Done tasks that needed more than one sample, the samples drawn before the kept one, and
    /// how many of those were rejected only for their fidelity (`drops_content`).
    public var resampledTasks = 0
    public var resamples = 0
    public var contentResamples = 0

    public init() {}

    public var scored: Int { histogram.reduce(0, +) }

    /// The `p`-quantile (0...1) at the buckets' resolution (the bucket's lower bound); nil
    /// without scores.
    public func quantile(_ p: Double) -> Double? {
        let n = scored
        guard n > 0 else { return nil }
        // The smallest bucket whose cumulative count reaches rank ceil(p * n) (at least 1).
        let rank = max(1, Int((p * Double(n)).rounded(.up)))
        var seen = 0
        for (bucket, count) in histogram.enumerated() {
            seen += count
            if seen >= rank { return Double(bucket) / 100 }
        }
        return 1
    }

    public mutating func add(_ other: StyleFidelity) {
        for b in 0..<Self.buckets { histogram[b] += other.histogram[b] }
        belowThreshold += other.belowThreshold
        resampledTasks += other.resampledTasks
        resamples += other.resamples
        contentResamples += other.contentResamples
    }

    static func bucket(_ score: Double) -> Int {
        // The epsilon keeps 0.29 * 100 = 28.999... in bucket 29.
        min(buckets - 1, max(0, Int((score * 100 + 1e-9).rounded(.down))))
    }
}
