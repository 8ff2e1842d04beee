/// One archive member as the reader found it: its metadata after pax and GNU long-name headers
/// were applied, and where its bytes are, so a caller can read the data or copy the whole
/// record `[headerOffset, recordEnd)` verbatim.
public struct TarEntry: Sendable, Hashable {
    /// The full path as written: pax `path`, else GNU `././@LongLink`, else ustar
    /// `prefix/name`, else the v7 name. Decoded as UTF-8 (invalid bytes become U+FFFD).
    public var name: String
    public var type: TarEntryType
    /// The raw type flag byte of the member's own header.
    public var typeFlag: UInt8
    /// Data bytes that follow the header; 0 for types that carry no data (links, directories…).
    public var size: Int64
    public var mode: UInt32
    /// Seconds since 1970 (pax fractional seconds are truncated toward negative infinity).
    public var mtime: Int64
    /// Target of a hard or symbolic link (pax `linkpath`, GNU `K`, or the header field).
    public var linkName: String
    /// Where this member's first header starts, counting any pax, GNU long-name and pax
    /// global headers that directly precede it.
    public var headerOffset: Int64
    /// Where the member's data starts, right after its last header block.
    public var dataOffset: Int64
    /// Just after the data's padding to a 512-byte boundary: where the next member starts.
    public var recordEnd: Int64

    public init(
        name: String, type: TarEntryType, typeFlag: UInt8, size: Int64, mode: UInt32, mtime: Int64,
        linkName: String, headerOffset: Int64, dataOffset: Int64, recordEnd: Int64
    ) {
        self.name = name
        self.type = type
        self.typeFlag = typeFlag
        self.size = size
        self.mode = mode
        self.mtime = mtime
        self.linkName = linkName
        self.headerOffset = headerOffset
        self.dataOffset = dataOffset
        self.recordEnd = recordEnd
    }

    /// Same as `dataOffset`: the end of the header blocks.
    public var headerEnd: Int64 { dataOffset }

    public var isRegularFile: Bool { type == .regularFile }

    /// Whether `name` may be joined under a destination directory; see `TarMemberName`.
    public var isSafeRelativeName: Bool { TarMemberName.isSafeRelativePath(name) }
}
