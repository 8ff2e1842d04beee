public struct CaptionRecord: Sendable, Equatable {
    /// 1-based physical line where the record starts.
    public var line: Int
    /// 0-based index among data records; bad rows count too, so it is the source row index.
    public var row: Int
    /// Exactly as in the file after unquoting; no trimming.
    public var caption: String
    public var image: String?

    public init(line: Int, row: Int, caption: String, image: String?) {
        self.line = line
        self.row = row
        self.caption = caption
        self.image = image
    }
}
