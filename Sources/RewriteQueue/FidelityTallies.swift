import GRDB

/// The fidelity and re-sample counters of a batch of stored results, added to the shard's
/// kept counters in the batch's own transaction.
struct FidelityTallies {
    private var perStyle: [Int: StyleFidelity] = [:]

    mutating func add(_ result: TaskResult) {
        if let score = result.fidelity { add(style: result.id.style, score: score, threshold: result.minFidelity) }
        var style = perStyle[result.id.style] ?? StyleFidelity()
        if result.resamples > 0 { style.resampledTasks += 1 }
        style.resamples += result.resamples
        style.contentResamples += result.contentResamples
        perStyle[result.id.style] = style
    }

    mutating func add(style index: Int, score: Double, threshold: Double?) {
        var style = perStyle[index] ?? StyleFidelity()
        style.histogram[StyleFidelity.bucket(score)] += 1
        if let threshold, score < threshold { style.belowThreshold += 1 }
        perStyle[index] = style
    }

    func store(_ db: Database) throws {
        guard !perStyle.isEmpty else { return }
        let bucket = try RawStatement(
            db,
            """
            INSERT INTO fidelity_counts(style, bucket, n, below) VALUES (?,?,?,?)
            ON CONFLICT(style, bucket) DO UPDATE SET n = n + excluded.n, below = below + excluded.below
            """)
        let resample = try RawStatement(
            db,
            """
            INSERT INTO resample_counts(style, resampled_tasks, resamples, content_resamples) VALUES (?,?,?,?)
            ON CONFLICT(style) DO UPDATE SET resampled_tasks = resampled_tasks + excluded.resampled_tasks,
                resamples = resamples + excluded.resamples, content_resamples = content_resamples + excluded.content_resamples
            """)
        for (style, tally) in perStyle {
            // `below` is kept on bucket 0's row: it is a per-style count, not per bucket.
            for (b, n) in tally.histogram.enumerated() where n > 0 || (b == 0 && tally.belowThreshold > 0) {
                bucket.bind(1, style)
                bucket.bind(2, b)
                bucket.bind(3, n)
                bucket.bind(4, b == 0 ? tally.belowThreshold : 0)
                try bucket.run()
            }
            if tally.resamples > 0 || tally.resampledTasks > 0 {
                resample.bind(1, style)
                resample.bind(2, tally.resampledTasks)
                resample.bind(3, tally.resamples)
                resample.bind(4, tally.contentResamples)
                try resample.run()
            }
        }
    }
}
