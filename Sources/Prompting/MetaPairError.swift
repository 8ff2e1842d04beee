/// A problem in a meta-pair file, reported as `FILE:LINE: reason` (or `FILE: reason` when it
/// concerns the file as a whole) so editors and terminals can jump to it.
public struct MetaPairError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based physical line; nil for whole-file problems (too few pairs, unreadable file).
    public var line: Int?
    public var reason: String

    public init(file: String, line: Int?, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}
