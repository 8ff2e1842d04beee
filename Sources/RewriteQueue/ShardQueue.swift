import Foundation
import GRDB

/// The task queue of one shard file. Every state change is one transaction, and counters of
/// tasks by (style, state) are kept in the same transaction so that status never scans.
///
/// One `ShardQueue` per shard per process is the only writer (the process owns the shard
/// through `ShardOwnership`); leases still fence every answer so that a worker that lost its
/// lease (a paused process, an expired lease) can never overwrite newer work.
public final class ShardQueue: Sendable {
    public let url: URL
    let db: DatabaseQueue

    public init(url: URL, readonly: Bool = false) throws {
        self.url = url
        db = try DatabaseQueue(path: url.path, configuration: ShardSchema.configuration(readonly: readonly))
        if !readonly { try ShardSchema.migrator.migrate(db) }
    }

    /// Claims up to `limit` pending tasks, tasks that share demonstrations back to back so the
    /// server can reuse its cached prompt prefix.
    public func claim(limit: Int, owner: String, leaseMillis: Int64, now: Millis = WallClock.now()) throws -> [ClaimedTask] {
        let token = Int64.random(in: 1...Int64.max)
        return try db.write { db in
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT t.id, t.draw, t.attempts, c.text FROM tasks t JOIN captions c ON c.id = (t.id >> 4)
                WHERE t.state = 0 ORDER BY (t.id & 15), t.draw, t.id LIMIT ?
                """), arguments: [limit])
            let lease = try db.cachedStatement(sql: """
                UPDATE tasks SET state = 1, attempts = attempts + 1, lease_owner = ?, lease_token = ?,
                    lease_expires = ?, updated_at = ? WHERE id = ? AND state = 0
                """)
            var claimed: [ClaimedTask] = []
            claimed.reserveCapacity(rows.count)
            var perStyle: [Int: Int] = [:]
            for row in rows {
                let id = TaskID(rawValue: row[0])
                try lease.execute(arguments: [owner, token, now + leaseMillis, now, id.rawValue])
                claimed.append(ClaimedTask(id: id, draw: row[1], attempt: (row[2] as Int) + 1, leaseToken: token, caption: row[3]))
                perStyle[id.style, default: 0] += 1
            }
            for (style, n) in perStyle {
                try Self.bump(db, style: style, from: .pending, to: .leased, by: n)
            }
            return claimed
        }
    }

    /// Extends every lease `owner` holds; returns how many it still holds.
    @discardableResult
    public func renewLeases(owner: String, leaseMillis: Int64, now: Millis = WallClock.now()) throws -> Int {
        try db.write { db in
            try db.execute(sql: "UPDATE tasks SET lease_expires = ? WHERE state = 1 AND lease_owner = ?",
                           arguments: [now + leaseMillis, owner])
            return db.changesCount
        }
    }

    /// Stores results; each is accepted only from the current holder of the task's lease.
    /// Returns the ids whose result was accepted.
    @discardableResult
    public func complete(_ results: [TaskResult], worker: String, now: Millis = WallClock.now()) throws -> Set<TaskID> {
        try db.write { db in
            let finish = try db.cachedStatement(sql: """
                UPDATE tasks SET state = 2, lease_owner = NULL, lease_token = NULL, lease_expires = NULL,
                    updated_at = ? WHERE id = ? AND state = 1 AND lease_token = ?
                """)
            let store = try db.cachedStatement(sql: """
                INSERT INTO results(task_id, text, model, seed, prompt_tokens, completion_tokens, latency_ms,
                    finish_reason, attempt, worker, completed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)
                """)
            var accepted = Set<TaskID>()
            var perStyle: [Int: Int] = [:]
            for r in results {
                try finish.execute(arguments: [now, r.id.rawValue, r.leaseToken])
                guard db.changesCount == 1 else { continue }
                try store.execute(arguments: [
                    r.id.rawValue, r.text, r.model, r.seed, r.promptTokens, r.completionTokens, r.latencyMs,
                    r.finishReason, r.attempt, worker, now,
                ])
                accepted.insert(r.id)
                perStyle[r.id.style, default: 0] += 1
            }
            for (style, n) in perStyle { try Self.bump(db, style: style, from: .leased, to: .done, by: n) }
            return accepted
        }
    }

    /// Records failed attempts: back to pending while attempts remain, else dead-lettered.
    public func fail(_ failures: [TaskFailure], maxAttempts: Int, worker: String, now: Millis = WallClock.now()) throws -> FailureOutcome {
        try db.write { db in
            let update = try db.cachedStatement(sql: """
                UPDATE tasks SET failures = failures + 1, last_reason = ?, updated_at = ?,
                    state = CASE WHEN ? OR failures + 1 >= ? THEN 3 ELSE 0 END,
                    lease_owner = NULL, lease_token = NULL, lease_expires = NULL
                WHERE id = ? AND state = 1 AND lease_token = ?
                RETURNING state, attempts
                """)
            let log = try db.cachedStatement(sql: """
                INSERT INTO failures(task_id, attempt, reason, detail, permanent, worker, at) VALUES (?,?,?,?,?,?,?)
                """)
            var outcome = FailureOutcome()
            for f in failures {
                guard let row = try Row.fetchOne(update, arguments: [
                    f.reason, now, f.permanent, maxAttempts, f.id.rawValue, f.leaseToken,
                ]) else {
                    outcome.stale += 1
                    continue
                }
                let state = TaskState(rawValue: row[0]) ?? .dead
                try log.execute(arguments: [f.id.rawValue, row[1] as Int, f.reason, f.detail, f.permanent, worker, now])
                try Self.bump(db, style: f.id.style, from: .leased, to: state, by: 1)
                if state == .dead { outcome.deadLettered += 1 } else { outcome.retried += 1 }
            }
            return outcome
        }
    }

    /// Returns the leases `owner` holds to pending without counting a failed attempt
    /// (graceful shutdown).
    @discardableResult
    public func release(owner: String, now: Millis = WallClock.now()) throws -> Int {
        try returnLeased(where: "lease_owner = ?", [owner], now: now)
    }

    /// Returns expired leases to pending: their worker died or stalled.
    @discardableResult
    public func expireLeases(now: Millis = WallClock.now()) throws -> Int {
        try returnLeased(where: "lease_expires < ?", [now], now: now)
    }

    /// Returns every lease to pending. Only safe for the process that has just taken ownership
    /// of the shard: nobody else may be working it.
    @discardableResult
    public func releaseAllLeases(now: Millis = WallClock.now()) throws -> Int {
        try returnLeased(where: "1", [], now: now)
    }

    private func returnLeased(where condition: String, _ arguments: StatementArguments, now: Millis) throws -> Int {
        try db.write { db in
            let rows = try Row.fetchAll(db, sql: """
                UPDATE tasks SET state = 0, lease_owner = NULL, lease_token = NULL, lease_expires = NULL,
                    updated_at = \(now) WHERE state = 1 AND \(condition) RETURNING id
                """, arguments: arguments)
            var perStyle: [Int: Int] = [:]
            for row in rows { perStyle[TaskID(rawValue: row[0]).style, default: 0] += 1 }
            for (style, n) in perStyle { try Self.bump(db, style: style, from: .leased, to: .pending, by: n) }
            return rows.count
        }
    }

    /// Brings dead-lettered tasks back to pending with a fresh attempt budget.
    @discardableResult
    public func requeueDead(style: Int? = nil, reason: String? = nil, now: Millis = WallClock.now()) throws -> Int {
        try db.write { db in
            var sql = "UPDATE tasks SET state = 0, failures = 0, updated_at = ? WHERE state = 3"
            var arguments: StatementArguments = [now]
            if let style {
                sql += " AND (id & 15) = ?"
                arguments += [style]
            }
            if let reason {
                sql += " AND last_reason = ?"
                arguments += [reason]
            }
            let rows = try Row.fetchAll(db, sql: sql + " RETURNING id", arguments: arguments)
            var perStyle: [Int: Int] = [:]
            for row in rows { perStyle[TaskID(rawValue: row[0]).style, default: 0] += 1 }
            for (style, n) in perStyle { try Self.bump(db, style: style, from: .dead, to: .pending, by: n) }
            return rows.count
        }
    }

    public func counts() throws -> StateCounts {
        try db.read { db in try Self.readCounts(db) }
    }

    static func readCounts(_ db: Database) throws -> StateCounts {
        var counts = StateCounts()
        for row in try Row.fetchAll(db, sql: "SELECT style, state, n FROM counts") {
            if let state = TaskState(rawValue: row[1]) { counts[row[0], state] = row[2] }
        }
        return counts
    }

    static func bump(_ db: Database, style: Int, from: TaskState, to: TaskState, by n: Int) throws {
        guard n != 0, from != to else { return }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO counts(style, state, n) VALUES (?, ?, ?)
            ON CONFLICT(style, state) DO UPDATE SET n = n + excluded.n
            """)
        try statement.execute(arguments: [style, from.rawValue, -n])
        try statement.execute(arguments: [style, to.rawValue, n])
    }
}
