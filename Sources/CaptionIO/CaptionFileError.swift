/// A problem with the file as a whole: nothing can be read from it (or reading stopped).
public struct CaptionFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case cannotOpen = "cannot_open"
        case readFailed = "read_failed"
        case emptyFile = "empty_file"
        case undecidableFormat = "undecidable_format"
        case unknownColumn = "unknown_column"
        case undecidableColumns = "undecidable_columns"
        /// The container itself is damaged (a Parquet footer or page, a tar header): nothing past it can be trusted.
        case corrupt = "corrupt"
        /// Valid, but uses something laclip does not read (a codec, an encoding, a nested column).
        case unsupported = "unsupported"
    }

    public var file: String
    /// Set when the problem is tied to a line (e.g. the header row).
    public var line: Int?
    public var kind: Kind
    public var message: String

    public init(file: String, line: Int? = nil, kind: Kind, message: String) {
        self.file = file
        self.line = line
        self.kind = kind
        self.message = message
    }

    /// "FILE: message" or "FILE:LINE: message"
    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
