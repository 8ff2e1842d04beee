/// What the reader decided about the file (stored in the job; shown by `laclip info`).
public struct CaptionLayout: Sendable, Codable, Equatable {
    public var format: CaptionFormat
    public var hasHeader: Bool
    /// Header names, or the JSONL keys of the first object (sorted: JSON objects are unordered).
    public var columns: [String]?
    /// Human name: "title", "column 1" (0-based, the value `--caption-column` takes), "key caption", "line".
    public var captionColumn: String
    public var imageColumn: String?
    /// The column holding each record's own id (`--id-column` or a known name such as `uid`;
    /// "key" for WebDataset), named as `captionColumn` is.
    public var idColumn: String?
    /// One line, e.g. "csv (by extension .csv), header row, caption=title, image=filepath".
    public var summary: String

    public init(
        format: CaptionFormat, hasHeader: Bool, columns: [String]?, captionColumn: String,
        imageColumn: String?, idColumn: String? = nil, summary: String
    ) {
        self.format = format
        self.hasHeader = hasHeader
        self.columns = columns
        self.captionColumn = captionColumn
        self.imageColumn = imageColumn
        self.idColumn = idColumn
        self.summary = summary
    }
}
