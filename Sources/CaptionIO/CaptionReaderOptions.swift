public struct CaptionReaderOptions: Sendable {
    /// nil = decide from the extension and the first lines.
    public var format: CaptionFormat?
    public var captionColumn: ColumnSelector?
    public var imageColumn: ColumnSelector?
    /// The record's own id (`uid`, `key`, ...; detected when nil); WebDataset samples use their key.
    public var idColumn: ColumnSelector?
    /// WebDataset: take the caption from this field of the sample's `.json` instead of its `.txt`.
    public var captionKey: String?
    /// Counted in Characters (grapheme clusters), as a reader of the caption would count.
    public var maxCaptionCharacters: Int

    public init(
        format: CaptionFormat? = nil,
        captionColumn: ColumnSelector? = nil,
        imageColumn: ColumnSelector? = nil,
        idColumn: ColumnSelector? = nil,
        maxCaptionCharacters: Int = 1000
    ) {
        self.format = format
        self.captionColumn = captionColumn
        self.imageColumn = imageColumn
        self.idColumn = idColumn
        self.maxCaptionCharacters = maxCaptionCharacters
    }
}
