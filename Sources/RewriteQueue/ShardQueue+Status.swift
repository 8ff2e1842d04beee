import GRDB

/// Completed results of a shard summed over all time and over a recent window.
public struct ResultActivity: Sendable, Equatable {
    public var results = 0
    public var promptTokens = 0
    public var completionTokens = 0
    public var firstCompletedAt: Millis?
    public var lastCompletedAt: Millis?
    /// Results completed at or after the window's start.
    public var recentResults = 0
    public var recentPromptTokens = 0
    public var recentCompletionTokens = 0
    public init() {}

    public mutating func add(_ other: ResultActivity) {
        results += other.results
        promptTokens += other.promptTokens
        completionTokens += other.completionTokens
        firstCompletedAt = [firstCompletedAt, other.firstCompletedAt].compactMap { $0 }.min()
        lastCompletedAt = [lastCompletedAt, other.lastCompletedAt].compactMap { $0 }.max()
        recentResults += other.recentResults
        recentPromptTokens += other.recentPromptTokens
        recentCompletionTokens += other.recentCompletionTokens
    }
}

/// A worker holding leases in a shard.
public struct LeaseHolding: Sendable, Equatable {
    public var owner: String
    public var leases: Int
    /// Leases whose expiry is already past: their worker stopped renewing them.
    public var expired: Int
    public var latestExpiry: Millis
    public init(owner: String, leases: Int, expired: Int, latestExpiry: Millis) {
        self.owner = owner
        self.leases = leases
        self.expired = expired
        self.latestExpiry = latestExpiry
    }
}

/// One failure reason of a shard's log, with its most recent occurrence as the example.
public struct FailureReasonCount: Sendable, Equatable {
    public var reason: String
    public var count: Int
    public var permanent: Int
    public var example: FailureExample
}

public struct FailureExample: Sendable, Equatable {
    public var caption: Int64
    public var style: Int
    public var attempt: Int
    public var detail: String
    public var worker: String
    public var at: Millis
}

/// A dead-lettered task, for the status report's examples.
public struct DeadTaskExample: Sendable, Equatable {
    public var caption: Int64
    public var style: Int
    public var failures: Int
    public var lastReason: String?
    public var captionText: String
}

/// Aggregates for `laclip status`. Each is one statement on a read-only connection; the
/// caller skips the scans the kept counters say are pointless (no leases, no dead tasks).
extension ShardQueue {
    public func resultActivity(since windowStart: Millis) throws -> ResultActivity {
        try db.read { db in
            var activity = ResultActivity()
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT count(*), total(prompt_tokens), total(completion_tokens), min(completed_at), max(completed_at),
                            total(completed_at >= ?1),
                            total(CASE WHEN completed_at >= ?1 THEN prompt_tokens END),
                            total(CASE WHEN completed_at >= ?1 THEN completion_tokens END)
                        FROM results
                        """, arguments: [windowStart])
            else { return activity }
            activity.results = row[0]
            activity.promptTokens = Int(row[1] as Double)
            activity.completionTokens = Int(row[2] as Double)
            activity.firstCompletedAt = row[3]
            activity.lastCompletedAt = row[4]
            activity.recentResults = Int(row[5] as Double)
            activity.recentPromptTokens = Int(row[6] as Double)
            activity.recentCompletionTokens = Int(row[7] as Double)
            return activity
        }
    }

    public func leaseHoldings(now: Millis) throws -> [LeaseHolding] {
        try db.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT lease_owner, count(*), total(lease_expires < ?), max(lease_expires) FROM tasks
                    WHERE state = 1 GROUP BY lease_owner ORDER BY lease_owner
                    """, arguments: [now]
            ).map {
                LeaseHolding(
                    owner: $0[0] ?? "?", leases: $0[1], expired: Int($0[2] as Double), latestExpiry: $0[3] ?? 0)
            }
        }
    }

    public func failureReasons() throws -> [FailureReasonCount] {
        try db.read { db in
            // SQLite takes the bare columns from the row that holds max(f.id): the latest example.
            try Row.fetchAll(
                db,
                sql: """
                    SELECT f.reason, count(*), total(f.permanent), max(f.id), t.caption_id, t.style, f.attempt, f.detail, f.worker, f.at
                    FROM failures f JOIN tasks t ON t.id = f.task_id GROUP BY f.reason
                    """
            ).map {
                FailureReasonCount(
                    reason: $0[0], count: $0[1], permanent: Int($0[2] as Double),
                    example: FailureExample(
                        caption: $0[4], style: $0[5], attempt: $0[6], detail: $0[7],
                        worker: $0[8], at: $0[9]))
            }
        }
    }

    /// Dead tasks by last failure reason, and the first `examples` of them.
    public func deadTasks(examples: Int) throws -> (byReason: [String: Int], examples: [DeadTaskExample]) {
        try db.read { db in
            var byReason: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT last_reason, count(*) FROM tasks WHERE state = 3 GROUP BY 1") {
                byReason[(row[0] as String?) ?? "unknown", default: 0] += row[1]
            }
            let samples = try Row.fetchAll(
                db,
                sql: """
                    SELECT t.caption_id, t.style, t.failures, t.last_reason, c.text FROM tasks t
                    JOIN captions c ON c.id = t.caption_id WHERE t.state = 3 ORDER BY t.caption_id, t.style LIMIT ?
                    """, arguments: [examples]
            ).map {
                DeadTaskExample(caption: $0[0], style: $0[1], failures: $0[2], lastReason: $0[3], captionText: $0[4])
            }
            return (byReason, samples)
        }
    }
}
