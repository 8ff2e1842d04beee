/// Why reading or writing an archive failed, with enough location to find the bad bytes:
/// the archive's display name, the offset of the header block concerned and, once known,
/// the member's name.
public struct TarError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The file ends inside a header block (or inside an extended header's data, or
        /// right after an extended header that should be followed by its member).
        case truncatedHeader
        /// The file ends inside a member's data or its padding, although the declared size
        /// is plausible for this file (no larger than the whole file): a cut-off archive.
        case truncatedMember
        /// Neither the unsigned nor the signed sum of the header matches its checksum field.
        case badChecksum
        /// A numeric field, a pax record or an extended header cannot be parsed.
        case badHeader
        /// The declared size is larger than the whole file: a corrupt or hostile size, caught
        /// before anything is allocated or skipped.
        case sizePastEnd
        /// `readData` was asked for a member larger than the caller's limit.
        case memberTooLarge
        /// The writer was given a member name it cannot store (empty or containing NUL).
        case invalidName
        /// The writer was asked to copy a byte range that is not whole 512-byte blocks.
        case invalidRange
        /// The writer was used after `finish()`.
        case writerFinished
        /// The operating system refused an open, read, write or sync.
        case io
    }

    public var kind: Kind
    /// The archive as the caller named it (`displayName`), not necessarily a real path.
    public var file: String
    /// Offset of the header block the problem belongs to.
    public var offset: Int64
    public var member: String?
    public var detail: String

    public init(_ kind: Kind, file: String, offset: Int64, member: String? = nil, detail: String) {
        self.kind = kind
        self.file = file
        self.offset = offset
        self.member = member
        self.detail = detail
    }

    public var description: String {
        let memberPart = member.map { "member \($0): " } ?? ""
        return "\(file): offset \(offset): \(memberPart)\(detail)"
    }
}
