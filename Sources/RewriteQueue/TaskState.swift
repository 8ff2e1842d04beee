/// Where a task is in its life. Stored as an integer in the shard files; the raw values are part
/// of the on-disk format and must never change.
public enum TaskState: Int, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case pending = 0
    case leased = 1
    case done = 2
    /// Dead-lettered: out of attempts or failed permanently; only `laclip retry` brings it back.
    case dead = 3

    public var description: String {
        switch self {
        case .pending: "pending"
        case .leased: "in flight"
        case .done: "done"
        case .dead: "dead"
        }
    }
}
