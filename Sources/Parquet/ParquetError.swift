/// A failure reading or writing a Parquet file, with enough context (file, byte offset, column)
/// for a person to find the damaged spot, and a `kind` for code that reacts to it.
public struct ParquetError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// No `PAR1` magic where the format puts it: not a Parquet file at all.
        case notParquet
        /// The file ends before a structure it declares.
        case truncated
        /// A structure is present but self-contradictory (bad Thrift, bad sizes, bad runs, bad compressed data).
        case corrupt
        /// Valid Parquet that this reader does not implement (codec, encoding, type).
        case unsupported
        case noSuchColumn
        /// The column is a group or repeated field (LIST/MAP/struct): only flat columns are decoded.
        case nestedColumn
        /// The operating system refused an open/read/write.
        case io
        /// The writer was used against its contract (wrong value type, null in a required column,
        /// a row missing a column, use after close).
        case misuse
    }

    public var kind: Kind
    public var file: String
    public var offset: Int64?
    public var column: String?
    public var message: String

    public init(_ kind: Kind, file: String, offset: Int64? = nil, column: String? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.offset = offset
        self.column = column
        self.message = message
    }

    public var description: String {
        var text = file
        if let offset { text += ": offset \(offset)" }
        if let column { text += ": column \(column)" }
        return text + ": " + message
    }
}
