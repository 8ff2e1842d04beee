import GRDB

extension ShardQueue {
    /// The kept fidelity and re-sample counters, by style index. Empty for a shard made before
    /// the `v3-fidelity` migration and opened read-only (nothing scored yet).
    public func fidelity() throws -> [Int: StyleFidelity] {
        try db.read { db in
            guard try Self.hasFidelity(db) else { return [:] }
            var result: [Int: StyleFidelity] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT style, bucket, n, below FROM fidelity_counts") {
                let style: Int = row[0], bucket: Int = row[1]
                guard bucket >= 0 && bucket < StyleFidelity.buckets else { continue }
                result[style, default: StyleFidelity()].histogram[bucket] += row[2]
                result[style, default: StyleFidelity()].belowThreshold += row[3]
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT style, resampled_tasks, resamples, content_resamples FROM resample_counts")
            {
                let style: Int = row[0]
                result[style, default: StyleFidelity()].resampledTasks += row[1]
                result[style, default: StyleFidelity()].resamples += row[2]
                result[style, default: StyleFidelity()].contentResamples += row[3]
            }
            return result
        }
    }

    /// Scores every stored result again with `score(caption, rewrite)` under `scorer`'s name
    /// and rebuilds the fidelity counters from them, in one transaction (a kill leaves the old
    /// scores). Re-sample counts are history and stay. Returns how many results were scored.
    @discardableResult
    public func rescore(scorer: String, _ score: (_ caption: String, _ rewrite: String) throws -> Double) throws -> Int
    {
        try db.write { db in
            let select = try RawStatement(
                db,
                """
                SELECT r.task_id, t.style, c.text, r.text, r.min_fidelity FROM results r
                JOIN tasks t ON t.id = r.task_id JOIN captions c ON c.id = t.caption_id
                """)
            var scored: [(task: Int64, score: Double)] = []
            var tallies = FidelityTallies()
            while try select.step() {
                let value = try score(select.text(2), select.text(3))
                scored.append((select.int64(0), value))
                tallies.add(
                    style: Int(select.int64(1)), score: value, threshold: select.isNull(4) ? nil : select.double(4))
            }
            return try Self.store(scored, scorer: scorer, tallies: tallies, db)
        }
    }

    /// `rescore` for scorers that ask a server and work in batches: every stored pair is read,
    /// handed to `score` at once in caption order (so it can embed each caption once), and the
    /// scores it returns, one per pair in order, are stored with rebuilt counters in one
    /// transaction (a kill or a thrown error leaves the old scores). Only the shard's owner may
    /// call it: no result may be added between the read and the write.
    @discardableResult
    public func rescore(
        scorer: String,
        batch score: ([(caption: Int64, text: String, rewrite: String)]) async throws -> [Double]
    ) async throws -> Int {
        let rows = try await db.read { db in
            let select = try RawStatement(
                db,
                """
                SELECT r.task_id, t.caption_id, c.text, r.text, t.style, r.min_fidelity FROM results r
                JOIN tasks t ON t.id = r.task_id JOIN captions c ON c.id = t.caption_id ORDER BY t.caption_id, t.style
                """)
            var rows: [(task: Int64, caption: Int64, text: String, rewrite: String, style: Int, threshold: Double?)] =
                []
            while try select.step() {
                rows.append(
                    (
                        select.int64(0), select.int64(1), select.text(2), select.text(3), Int(select.int64(4)),
                        select.isNull(5) ? nil : select.double(5)
                    ))
            }
            return rows
        }
        let scores = try await score(rows.map { ($0.caption, $0.text, $0.rewrite) })
        precondition(scores.count == rows.count, "\(scores.count) scores for \(rows.count) rewrites")
        var counted = FidelityTallies()
        for (row, value) in zip(rows, scores) { counted.add(style: row.style, score: value, threshold: row.threshold) }
        let tallies = counted
        let scored = zip(rows, scores).map { (task: $0.task, score: $1) }
        return try await db.write { db in try Self.store(scored, scorer: scorer, tallies: tallies, db) }
    }

    /// Writes new scores under `scorer`'s name and replaces the fidelity counters with
    /// `tallies` (counted from the same scores); the caller's transaction makes it one step.
    private static func store(
        _ scored: [(task: Int64, score: Double)], scorer: String, tallies: FidelityTallies,
        _ db: Database
    ) throws -> Int {
        let update = try RawStatement(db, "UPDATE results SET fidelity = ?, scorer = ? WHERE task_id = ?")
        for entry in scored {
            update.bind(1, entry.score)
            update.bind(2, scorer)
            update.bind(3, entry.task)
            try update.run()
        }
        try db.execute(sql: "DELETE FROM fidelity_counts")
        try tallies.store(db)
        return scored.count
    }

    /// Shards made before the `v3-fidelity` migration have no scores nor counters.
    static func hasFidelity(_ db: Database) throws -> Bool {
        try db.tableExists("fidelity_counts")
    }
}
