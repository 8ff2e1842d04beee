public enum BadRowReason: String, Sendable, Codable, CaseIterable {
    case unbalancedQuote = "unbalanced_quote"
    case missingColumn = "missing_column"
    case invalidUTF8 = "invalid_utf8"
    case emptyCaption = "empty_caption"
    case captionTooLong = "caption_too_long"
    case nulByte = "nul_byte"
    case invalidJSON = "invalid_json"
    /// A tar header that does not parse or a member cut short: the rest of the shard is unreadable.
    case brokenArchive = "broken_archive"
    /// Two samples of one tar shard share a key.
    case duplicateKey = "duplicate_key"
    /// A tar member named with an absolute path or a `..` component.
    case unsafeMemberName = "unsafe_member_name"
}
