/// A failed attempt. Retryable failures return the task to pending until it has failed
/// `maxAttempts` times; a permanent one dead-letters it at once.
public struct TaskFailure: Sendable, Equatable {
    /// The reason of an attempt whose worker went away while holding the lease (killed,
    /// crashed, or so stalled that its lease expired): the next owner of the shard takes the
    /// lease back and logs this failure. A task that crashes every worker that tries it is
    /// dead-lettered with it after `maxAttempts`.
    public static let workerLost = "worker_lost"

    public var row: Int64
    public var id: TaskID
    public var leaseToken: Int64
    /// A short machine-readable code (`timeout`, `too_few_words`, ...): what `laclip retry
    /// --reason` and the status report group by.
    public var reason: String
    public var detail: String
    public var permanent: Bool

    public init(task: ClaimedTask, reason: String, detail: String, permanent: Bool = false) {
        row = task.row
        id = task.id
        leaseToken = task.leaseToken
        self.reason = reason
        self.detail = detail
        self.permanent = permanent
    }
}

/// What became of a batch of failures.
public struct FailureOutcome: Sendable, Equatable {
    public var retried = 0
    public var deadLettered = 0
    /// Reported by a worker whose lease had already been lost: ignored.
    public var stale = 0
    public init() {}
}
