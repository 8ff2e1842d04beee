/// A record the reader could not turn into a caption. Returned, never skipped: the caller
/// decides whether to stop or to record it and go on.
public struct BadRow: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line where the record starts (0 where the format has no lines).
    public var line: Int
    /// 0-based data record index, the same numbering as `CaptionRecord.row`.
    public var row: Int
    public var reason: BadRowReason
    /// Starts with the reason in words, e.g. "unbalanced quote: a quoted field opened here never closes".
    public var detail: String
    /// Where the record is, in the words of its format: "FILE:LINE" for text formats,
    /// "FILE: row N" for Parquet, "SHARD.tar:KEY" or "SHARD.tar: offset N" for tar shards.
    public var place: String

    public init(file: String, line: Int, row: Int, reason: BadRowReason, detail: String, place: String? = nil) {
        self.file = file
        self.line = line
        self.row = row
        self.reason = reason
        self.detail = detail
        self.place = place ?? "\(file):\(line)"
    }

    /// "PLACE: detail"
    public var description: String { "\(place): \(detail)" }
}
