import GRDB

/// A caption as stored in a shard.
public struct StoredCaption: Sendable, Equatable {
    public var id: Int64
    public var sourceID: Int
    public var row: Int
    public var line: Int
    public var image: String?
    public var text: String
    /// Set for a dedup'd duplicate: the caption whose tasks stand for this one.
    public var canonicalID: Int64?
}

/// A task with its state and, when done, its result.
/// A stored result's fidelity as `storedScores` reads it.
public struct StoredScore: Sendable, Equatable {
    public var id: TaskID
    public var fidelity: Double?
    public var scorer: String?
    public var minFidelity: Double?
    public var resamples: Int
    public var contentResamples: Int

    /// Kept as the best of samples that all scored under the run's threshold.
    public var isBelowThreshold: Bool {
        guard let fidelity, let minFidelity else { return false }
        return fidelity < minFidelity
    }
}

public struct StoredTask: Sendable, Equatable {
    public var id: TaskID
    public var draw: Int64
    public var state: TaskState
    public var attempts: Int
    public var failures: Int
    public var lastReason: String?
    public var resultText: String?
}

extension ShardQueue {
    public func caption(_ id: Int64) throws -> StoredCaption? {
        try db.read { db in
            try Row.fetchOne(
                db, sql: "SELECT id, source_id, row, line, image, text, canonical_id FROM captions WHERE id = ?",
                arguments: [id]
            ).map(Self.caption)
        }
    }

    /// Visits captions in id (source) order without loading the shard into memory.
    public func forEachCaption(_ body: (_ id: Int64, _ text: String, _ canonical: Int64?) throws -> Void) throws {
        try db.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT id, text, canonical_id FROM captions ORDER BY id")
            while let row = try rows.next() { try body(row[0], row[1], row[2]) }
        }
    }

    /// A caption's tasks by style. Scans the shard (tasks are stored in claim order): meant for
    /// inspection, not for hot paths.
    public func tasks(ofCaption caption: Int64) throws -> [StoredTask] {
        try db.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.caption_id, t.style, t.draw, t.state, t.attempts, t.failures, t.last_reason, r.text
                    FROM tasks t LEFT JOIN results r ON r.task_id = t.id
                    WHERE t.caption_id = ? ORDER BY t.style
                    """, arguments: [caption]
            ).map(Self.task)
        }
    }

    /// Every task in claim order.
    public func allTasks() throws -> [StoredTask] {
        try db.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.caption_id, t.style, t.draw, t.state, t.attempts, t.failures, t.last_reason, r.text
                    FROM tasks t LEFT JOIN results r ON r.task_id = t.id ORDER BY t.id
                    """
            ).map(Self.task)
        }
    }

    /// Every stored result's fidelity columns, in task order (nil scores: unscored).
    public func storedScores() throws -> [StoredScore] {
        try db.read { db in
            guard try Self.hasFidelity(db) else { return [] }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT t.caption_id, t.style, r.fidelity, r.scorer, r.min_fidelity, r.resamples, r.content_resamples
                    FROM results r JOIN tasks t ON t.id = r.task_id ORDER BY t.id
                    """
            ).map {
                StoredScore(
                    id: TaskID(caption: $0[0], style: $0[1]), fidelity: $0[2], scorer: $0[3], minFidelity: $0[4],
                    resamples: $0[5], contentResamples: $0[6])
            }
        }
    }

    /// Counts by (style, state) recomputed from the rows; the kept counters must equal it.
    public func recount() throws -> StateCounts {
        try db.read { db in
            var counts = StateCounts()
            for row in try Row.fetchAll(db, sql: "SELECT style, state, count(*) FROM tasks GROUP BY 1, 2") {
                if let state = TaskState(rawValue: row[1]) { counts[row[0], state] = row[2] }
            }
            return counts
        }
    }

    public func resultCount() throws -> Int {
        try db.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM results") ?? 0 }
    }

    static func caption(_ row: Row) -> StoredCaption {
        StoredCaption(
            id: row[0], sourceID: row[1], row: row[2], line: row[3], image: row[4], text: row[5], canonicalID: row[6])
    }

    static func task(_ row: Row) -> StoredTask {
        StoredTask(
            id: TaskID(caption: row[0], style: row[1]), draw: row[2], state: TaskState(rawValue: row[3]) ?? .dead,
            attempts: row[4], failures: row[5], lastReason: row[6], resultText: row[7])
    }
}

extension ShardQueue {
    /// Which workers touched each task: those that stored its result or logged a failure of it.
    public func workersByTask() throws -> [TaskID: Set<String>] {
        try db.read { db in
            var workers: [TaskID: Set<String>] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT t.caption_id, t.style, r.worker FROM tasks t JOIN results r ON r.task_id = t.id
                    UNION ALL
                    SELECT t.caption_id, t.style, f.worker FROM tasks t JOIN failures f ON f.task_id = t.id
                    """)
            for row in rows { workers[TaskID(caption: row[0], style: row[1]), default: []].insert(row[2]) }
            return workers
        }
    }

    /// Failure log rows: (task, attempt, reason).
    public func failureLog() throws -> [(task: TaskID, attempt: Int, reason: String)] {
        try db.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.caption_id, t.style, f.attempt, f.reason FROM failures f JOIN tasks t ON t.id = f.task_id ORDER BY f.id
                    """
            ).map { (TaskID(caption: $0[0], style: $0[1]), $0[2], $0[3]) }
        }
    }
}
