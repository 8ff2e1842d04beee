/// A task is one (caption, style) pair, packed into one integer: the key of in-memory maps and
/// what logs and `laclip retry` print (`caption/style`). In a shard file a task's row id is its
/// claim-order position instead (`tasks.id`, `results.task_id`), with caption and style in
/// their own columns, so that claims scan forward in the order the prefix cache wants.
public struct TaskID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// At most this many styles per job: the low bits of a task id hold the style index.
    public static let maxStyles = 16
    static let styleBits: Int64 = 4

    public let rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }

    public init(caption: Int64, style: Int) {
        precondition(style >= 0 && style < Self.maxStyles, "style index out of range")
        rawValue = caption << Self.styleBits | Int64(style)
    }

    public var caption: Int64 { rawValue >> Self.styleBits }
    public var style: Int { Int(rawValue & Int64(Self.maxStyles - 1)) }

    public static func < (lhs: TaskID, rhs: TaskID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "\(caption)/\(style)" }
}
