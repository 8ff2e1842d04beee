/// A task is one (caption, style) pair. Its id packs both so that enqueue writes one narrow row
/// per task and a caption's tasks sit next to each other in the B-tree.
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
