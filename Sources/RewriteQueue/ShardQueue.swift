import Foundation
import GRDB
import Synchronization

/// The task queue of one shard file. Every state change is one transaction, and counters of
/// tasks by (style, state) are kept in the same transaction so that status never scans.
///
/// One `ShardQueue` per shard per process is the only writer (the process owns the shard
/// through `ShardOwnership`); leases still fence every answer so that a worker that lost its
/// lease (a paused process, an expired lease) can never overwrite newer work.
public final class ShardQueue: Sendable {
    public let url: URL
    let db: DatabaseQueue
    /// No pending task has a row below this: claims scan forward from it instead of using an
    /// index. Anything that returns a task to pending moves it back.
    private let cursor = Mutex<Int64>(0)

    public init(url: URL, readonly: Bool = false) throws {
        self.url = url
        db = try DatabaseQueue(path: url.path, configuration: ShardSchema.configuration(readonly: readonly))
        if !readonly { try ShardSchema.migrator.migrate(db) }
    }

    /// Claims up to `limit` pending tasks in claim order: tasks that share demonstrations come
    /// back to back, so the server can reuse its cached prompt prefix.
    /// `styles` limits the claim to those style indices.
    public func claim(
        limit: Int, owner: String, leaseMillis: Int64, styles: Set<Int>? = nil,
        now: Millis = WallClock.now()
    ) throws -> [ClaimedTask] {
        let token = Int64.random(in: 1...Int64.max)
        let styleFilter =
            styles.map { " AND t.style IN (\($0.sorted().map(String.init).joined(separator: ",")))" } ?? ""
        let claimed = try db.write { db in
            var claimed = try claimScan(
                db, from: cursor.withLock { $0 }, limit: limit, owner: owner, token: token,
                expires: now + leaseMillis, now: now, styleFilter: styleFilter)
            if claimed.isEmpty, cursor.withLock({ $0 }) > 0 {
                // Another process (`laclip retry`) may have returned rows behind the cursor.
                claimed = try claimScan(
                    db, from: 0, limit: limit, owner: owner, token: token, expires: now + leaseMillis,
                    now: now, styleFilter: styleFilter)
            }
            var perStyle: [Int: Int] = [:]
            for task in claimed { perStyle[task.id.style, default: 0] += 1 }
            for (style, n) in perStyle { try Self.bump(db, style: style, from: .pending, to: .leased, by: n) }
            return claimed
        }
        if let last = claimed.last { cursor.withLock { $0 = last.row + 1 } }
        return claimed
    }

    private func claimScan(
        _ db: Database, from start: Int64, limit: Int, owner: String, token: Int64,
        expires: Millis, now: Millis, styleFilter: String
    ) throws -> [ClaimedTask] {
        let select = try RawStatement(
            db,
            """
            SELECT t.id, t.caption_id, t.style, t.draw, t.attempts, c.text FROM tasks t
            JOIN captions c ON c.id = t.caption_id
            WHERE t.id >= ? AND t.state = 0\(styleFilter) ORDER BY t.id LIMIT ?
            """)
        select.bind(1, start)
        select.bind(2, limit)
        var claimed: [ClaimedTask] = []
        claimed.reserveCapacity(limit)
        while try select.step() {
            claimed.append(
                ClaimedTask(
                    row: select.int64(0), id: TaskID(caption: select.int64(1), style: Int(select.int64(2))),
                    draw: select.int64(3), attempt: Int(select.int64(4)) + 1, leaseToken: token,
                    caption: select.text(5)))
        }
        guard let first = claimed.first, let last = claimed.last else { return [] }
        // Every pending row between the first and last selected one was selected (same order,
        // same filter), so one range update leases exactly the batch.
        let lease = try RawStatement(
            db,
            """
            UPDATE tasks AS t SET state = 1, attempts = attempts + 1, lease_owner = ?, lease_token = ?,
                lease_expires = ?, updated_at = ? WHERE t.id BETWEEN ? AND ? AND t.state = 0\(styleFilter)
            """)
        lease.bind(1, owner)
        lease.bind(2, token)
        lease.bind(3, expires)
        lease.bind(4, now)
        lease.bind(5, first.row)
        lease.bind(6, last.row)
        let changed = try lease.run()
        guard changed == claimed.count else {
            throw QueueError(.corrupt, "\(url.path): claimed \(claimed.count) tasks but leased \(changed)")
        }
        return claimed
    }

    /// Extends every lease `owner` holds; returns how many it still holds.
    @discardableResult
    public func renewLeases(owner: String, leaseMillis: Int64, now: Millis = WallClock.now()) throws -> Int {
        try db.write { db in
            try db.execute(
                sql: "UPDATE tasks SET lease_expires = ? WHERE state = 1 AND lease_owner = ?",
                arguments: [now + leaseMillis, owner])
            return db.changesCount
        }
    }

    /// Stores results; each is accepted only from the current holder of the task's lease.
    /// Returns the ids whose result was accepted.
    @discardableResult
    public func complete(_ results: [TaskResult], worker: String, now: Millis = WallClock.now()) throws -> Set<TaskID> {
        try db.write { db in
            let finish = try RawStatement(
                db,
                """
                UPDATE tasks SET state = 2, lease_owner = NULL, lease_token = NULL, lease_expires = NULL,
                    updated_at = ? WHERE id = ? AND state = 1 AND lease_token = ?
                """)
            let store = try RawStatement(
                db,
                """
                INSERT INTO results(task_id, text, model, seed, prompt_tokens, completion_tokens, latency_ms,
                    finish_reason, attempt, worker, completed_at, fidelity, scorer, min_fidelity, resamples,
                    content_resamples) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                """)
            var accepted = Set<TaskID>()
            var perStyle: [Int: Int] = [:]
            var tallies = FidelityTallies()
            for r in results {
                finish.bind(1, now)
                finish.bind(2, r.row)
                finish.bind(3, r.leaseToken)
                guard try finish.run() == 1 else { continue }
                store.bind(1, r.row)
                store.bind(2, r.text)
                store.bind(3, r.model)
                store.bind(4, r.seed)
                store.bind(5, r.promptTokens)
                store.bind(6, r.completionTokens)
                store.bind(7, r.latencyMs)
                store.bind(8, r.finishReason)
                store.bind(9, r.attempt)
                store.bind(10, worker)
                store.bind(11, now)
                store.bind(12, r.fidelity)
                store.bind(13, r.scorer)
                store.bind(14, r.minFidelity)
                store.bind(15, r.resamples)
                store.bind(16, r.contentResamples)
                try store.run()
                accepted.insert(r.id)
                perStyle[r.id.style, default: 0] += 1
                tallies.add(r)
            }
            for (style, n) in perStyle { try Self.bump(db, style: style, from: .leased, to: .done, by: n) }
            try tallies.store(db)
            return accepted
        }
    }

    /// Records failed attempts: back to pending while attempts remain, else dead-lettered.
    public func fail(_ failures: [TaskFailure], maxAttempts: Int, worker: String, now: Millis = WallClock.now()) throws
        -> FailureOutcome
    {
        var lowestRetried = Int64.max
        let outcome = try db.write { db in
            let update = try db.cachedStatement(
                sql: """
                    UPDATE tasks SET failures = failures + 1, last_reason = ?, updated_at = ?,
                        state = CASE WHEN ? OR failures + 1 >= ? THEN 3 ELSE 0 END,
                        lease_owner = NULL, lease_token = NULL, lease_expires = NULL
                    WHERE id = ? AND state = 1 AND lease_token = ?
                    RETURNING state, attempts
                    """)
            let log = try db.cachedStatement(
                sql: """
                    INSERT INTO failures(task_id, attempt, reason, detail, permanent, worker, at) VALUES (?,?,?,?,?,?,?)
                    """)
            var outcome = FailureOutcome()
            for f in failures {
                guard
                    let row = try Row.fetchOne(
                        update,
                        arguments: [
                            f.reason, now, f.permanent, maxAttempts, f.row, f.leaseToken,
                        ])
                else {
                    outcome.stale += 1
                    continue
                }
                let state = TaskState(rawValue: row[0]) ?? .dead
                try log.execute(arguments: [f.row, row[1] as Int, f.reason, f.detail, f.permanent, worker, now])
                try Self.bump(db, style: f.id.style, from: .leased, to: state, by: 1)
                if state == .dead {
                    outcome.deadLettered += 1
                } else {
                    outcome.retried += 1
                    lowestRetried = min(lowestRetried, f.row)
                }
            }
            return outcome
        }
        rewind(to: lowestRetried)
        return outcome
    }

    /// Returns the leases `owner` holds to pending without counting a failed attempt
    /// (graceful shutdown).
    @discardableResult
    public func release(owner: String, now: Millis = WallClock.now()) throws -> Int {
        try returnLeased(where: "lease_owner = ?", [owner], now: now)
    }

    /// Takes back expired leases: their worker died or stalled. Each is a failed attempt
    /// (`worker_lost`): back to pending while attempts remain, else dead-lettered.
    @discardableResult
    public func expireLeases(maxAttempts: Int, worker: String, now: Millis = WallClock.now()) throws -> FailureOutcome {
        try loseLeases(
            where: "lease_expires < \(now)", how: "expired", maxAttempts: maxAttempts, worker: worker, now: now)
    }

    /// Takes back every lease, each a failed attempt (`worker_lost`) of its task. Only for the
    /// process that has just taken ownership of the shard: any lease left is a dead or evicted
    /// worker's, since nobody else may be working it.
    @discardableResult
    public func takeBackLeases(maxAttempts: Int, worker: String, now: Millis = WallClock.now()) throws -> FailureOutcome
    {
        try loseLeases(where: "1", how: "taken back by \(worker)", maxAttempts: maxAttempts, worker: worker, now: now)
    }

    /// Returns every lease to pending without counting an attempt (tools that replay a queue
    /// and know their leases were never sent anywhere). Only for the shard's new owner.
    @discardableResult
    public func releaseAllLeases(now: Millis = WallClock.now()) throws -> Int {
        try returnLeased(where: "1", [], now: now)
    }

    /// One transaction: every matching lease becomes a logged `worker_lost` failure of its
    /// task, which goes back to pending, or to dead once it has failed `maxAttempts` times. The
    /// failure row names the worker that lost the lease (it is the one that touched the task).
    private func loseLeases(
        where condition: String, how: String, maxAttempts: Int, worker: String,
        now: Millis
    ) throws -> FailureOutcome {
        var lowestRetried = Int64.max
        let outcome = try db.write { db in
            let lost = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, style, lease_owner, attempts FROM tasks WHERE state = 1 AND \(condition) ORDER BY id
                    """)
            let update = try db.cachedStatement(
                sql: """
                    UPDATE tasks SET failures = failures + 1, last_reason = ?, updated_at = ?,
                        state = CASE WHEN failures + 1 >= ? THEN 3 ELSE 0 END,
                        lease_owner = NULL, lease_token = NULL, lease_expires = NULL
                    WHERE id = ? AND state = 1 RETURNING state
                    """)
            let log = try db.cachedStatement(
                sql: """
                    INSERT INTO failures(task_id, attempt, reason, detail, permanent, worker, at) VALUES (?,?,?,?,0,?,?)
                    """)
            var outcome = FailureOutcome()
            var moved: [Int: [TaskState: Int]] = [:]
            for row in lost {
                let id: Int64 = row[0], style: Int = row[1], attempt: Int = row[3]
                let owner: String = row[2] ?? "unknown"
                guard
                    let stateRaw = try Int.fetchOne(update, arguments: [TaskFailure.workerLost, now, maxAttempts, id])
                else { continue }
                let state = TaskState(rawValue: stateRaw) ?? .dead
                try log.execute(arguments: [
                    id, attempt, TaskFailure.workerLost,
                    "the lease of \(owner) was \(how) before it answered (worker died or stalled)",
                    owner, now,
                ])
                moved[style, default: [:]][state, default: 0] += 1
                if state == .dead {
                    outcome.deadLettered += 1
                } else {
                    outcome.retried += 1
                    lowestRetried = min(lowestRetried, id)
                }
            }
            for (style, states) in moved {
                for (state, n) in states { try Self.bump(db, style: style, from: .leased, to: state, by: n) }
            }
            return outcome
        }
        rewind(to: lowestRetried)
        return outcome
    }

    /// Claims the first pending task at or after `row` whose last attempt lost its worker, for
    /// a worker that runs such tasks alone (so that if it dies again, no other task shares the
    /// blame). Leaves the claim cursor alone: other pending tasks stay where they are.
    public func claimLost(
        from row: Int64, owner: String, leaseMillis: Int64, styles: Set<Int>? = nil,
        now: Millis = WallClock.now()
    ) throws -> ClaimedTask? {
        let token = Int64.random(in: 1...Int64.max)
        let styleFilter =
            styles.map { " AND t.style IN (\($0.sorted().map(String.init).joined(separator: ",")))" } ?? ""
        let filter = styleFilter + " AND t.last_reason = '\(TaskFailure.workerLost)'"
        return try db.write { db in
            let claimed = try claimScan(
                db, from: row, limit: 1, owner: owner, token: token, expires: now + leaseMillis,
                now: now, styleFilter: filter)
            guard let task = claimed.first else { return nil }
            try Self.bump(db, style: task.id.style, from: .pending, to: .leased, by: 1)
            return task
        }
    }

    private func returnLeased(where condition: String, _ arguments: StatementArguments, now: Millis) throws -> Int {
        try returnToPending(
            from: .leased,
            sql: """
                UPDATE tasks SET state = 0, lease_owner = NULL, lease_token = NULL, lease_expires = NULL,
                    updated_at = \(now) WHERE state = 1 AND \(condition) RETURNING id, style
                """, arguments)
    }

    /// Brings dead-lettered tasks back to pending with a fresh attempt budget.
    @discardableResult
    public func requeueDead(style: Int? = nil, reason: String? = nil, now: Millis = WallClock.now()) throws -> Int {
        var sql = "UPDATE tasks SET state = 0, failures = 0, updated_at = \(now) WHERE state = 3"
        var arguments: StatementArguments = []
        if let style {
            sql += " AND style = ?"
            arguments += [style]
        }
        if let reason {
            sql += " AND last_reason = ?"
            arguments += [reason]
        }
        return try returnToPending(from: .dead, sql: sql + " RETURNING id, style", arguments)
    }

    private func returnToPending(from state: TaskState, sql: String, _ arguments: StatementArguments) throws -> Int {
        let rows = try db.write { db in
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            var perStyle: [Int: Int] = [:]
            for row in rows { perStyle[row[1], default: 0] += 1 }
            for (style, n) in perStyle { try Self.bump(db, style: style, from: state, to: .pending, by: n) }
            return rows
        }
        rewind(to: rows.map { $0[0] as Int64 }.min() ?? .max)
        return rows.count
    }

    private func rewind(to row: Int64) {
        cursor.withLock { $0 = min($0, row) }
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
        let statement = try RawStatement(
            db,
            """
            INSERT INTO counts(style, state, n) VALUES (?, ?, ?)
            ON CONFLICT(style, state) DO UPDATE SET n = n + excluded.n
            """)
        statement.bind(1, style)
        statement.bind(2, from.rawValue)
        statement.bind(3, -n)
        try statement.run()
        statement.bind(1, style)
        statement.bind(2, to.rawValue)
        statement.bind(3, n)
        try statement.run()
    }
}
