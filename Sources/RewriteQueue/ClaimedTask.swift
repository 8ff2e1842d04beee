/// A task handed to a worker under a lease. `leaseToken` fences the worker's answer: the
/// result is accepted only while this exact lease is still the task's current one.
public struct ClaimedTask: Sendable, Equatable {
    /// The task's row in its shard file (rows are in claim order).
    public let row: Int64
    public let id: TaskID
    public let draw: Int64
    /// 1-based: how many times the task has been claimed, this claim included.
    public let attempt: Int
    public let leaseToken: Int64
    public let caption: String
}
