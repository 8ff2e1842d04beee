public enum BadRowReason: String, Sendable, Codable, CaseIterable {
    case unbalancedQuote = "unbalanced_quote"
    case missingColumn = "missing_column"
    case invalidUTF8 = "invalid_utf8"
    case emptyCaption = "empty_caption"
    case captionTooLong = "caption_too_long"
    case nulByte = "nul_byte"
    case invalidJSON = "invalid_json"
}
