public struct CaptionRecord: Sendable, Equatable {
    /// 1-based physical line where the record starts (0 where the format has no lines: Parquet, tar).
    public var line: Int
    /// 0-based index among data records; bad rows count too, so it is the source row index.
    public var row: Int
    /// Exactly as in the file after unquoting; no trimming.
    public var caption: String
    public var image: String?
    /// The source's own id of the record (`--id-column`, a WebDataset sample key), carried to every export.
    public var key: String?

    public init(line: Int, row: Int, caption: String, image: String?, key: String? = nil) {
        self.line = line
        self.row = row
        self.caption = caption
        self.image = image
        self.key = key
    }
}
