/// Walks an archive member by member without reading data: iteration only reads header blocks
/// and jumps over data, so memory stays flat however large the archive or its members are.
///
/// `next()` yields every member — regular files and also directories, links, devices and
/// other types (check `entry.isRegularFile`). Pax (`x`), pax global (`g`) and GNU long-name
/// (`L`, `K`) headers are never yielded: they are applied to the member that follows, and their
/// bytes count as part of that member's record. Pax global records are validated but ignored.
///
/// The archive ends at a zero block or at end of file right after a member; ending anywhere
/// else is a truncation error.
public final class TarReader {
    public var displayName: String { file.displayName }
    public var fileSize: Int64 { file.size }

    /// Extended headers larger than this are refused: real ones hold a few names and numbers.
    public static let extendedHeaderLimit = 1 << 20

    let file: ReadableFile
    private var position: Int64 = 0
    private var finished = false

    public init(path: String, displayName: String) throws {
        file = try ReadableFile(path: path, displayName: displayName)
    }

    /// The next member, or nil at the end of the archive.
    public func next() throws -> TarEntry? {
        guard !finished else { return nil }
        var pending = PendingExtendedHeaders()
        let recordStart = position
        var cursor = position
        while true {
            let blockOffset = cursor
            guard cursor < file.size else {
                if pending.isEmpty {
                    finished = true
                    return nil
                }
                throw error(
                    .truncatedHeader, at: blockOffset,
                    "file ends after an extended header, before the member it describes")
            }
            guard file.size - cursor >= Int64(TarHeaderBlock.size) else {
                throw error(
                    .truncatedHeader, at: blockOffset,
                    "file ends inside a header: only \(file.size - cursor) of 512 bytes")
            }
            let header = TarHeaderBlock(
                bytes: try file.read(at: cursor, count: TarHeaderBlock.size, errorOffset: blockOffset))
            if header.isAllZero {
                if !pending.isEmpty {
                    throw error(.badHeader, at: blockOffset, "end-of-archive block right after an extended header")
                }
                finished = true
                return nil
            }
            guard header.hasValidChecksum else {
                throw error(
                    .badChecksum, at: blockOffset, member: header.string(TarHeaderBlock.Field.name),
                    "header checksum \(header.string(TarHeaderBlock.Field.checksum).debugDescription) matches neither the unsigned nor the signed sum of the block"
                )
            }
            cursor += Int64(TarHeaderBlock.size)
            switch header.typeFlag {
            case UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "g"):
                let data = try extendedHeaderData(header, at: blockOffset, dataOffset: cursor)
                let pax: PaxExtendedHeader
                switch PaxExtendedHeader.parse(data) {
                case .success(let parsed): pax = parsed
                case .failure(let failure): throw error(.badHeader, at: blockOffset, failure.message)
                }
                if header.typeFlag != UInt8(ascii: "g") {
                    try pending.apply(pax, reportingAt: blockOffset, file: file.displayName)
                }
                cursor += Self.padded(Int64(data.count))
            case UInt8(ascii: "L"), UInt8(ascii: "K"):
                let data = try extendedHeaderData(header, at: blockOffset, dataOffset: cursor)
                let value = String(decoding: TarHeaderBlock.untilNUL(data[...]), as: UTF8.self)
                if header.typeFlag == UInt8(ascii: "L") {
                    pending.gnuLongName = value
                } else {
                    pending.gnuLongLink = value
                }
                cursor += Self.padded(Int64(data.count))
            default:
                let entry = try member(
                    header, at: blockOffset, recordStart: recordStart, dataOffset: cursor, pending: pending)
                position = entry.recordEnd
                return entry
            }
        }
    }

    /// A member's data, for small members; throws `.memberTooLarge` rather than allocate more
    /// than `limit` bytes.
    public func readData(_ entry: TarEntry, limit: Int) throws -> [UInt8] {
        guard entry.size <= Int64(limit) else {
            throw TarError(
                .memberTooLarge, file: file.displayName, offset: entry.headerOffset, member: entry.name,
                detail: "size \(entry.size) is over the \(limit)-byte limit for reading into memory")
        }
        guard entry.dataOffset >= 0, entry.size >= 0, entry.dataOffset + entry.size <= file.size else {
            throw TarError(
                .sizePastEnd, file: file.displayName, offset: entry.headerOffset, member: entry.name,
                detail:
                    "data at \(entry.dataOffset) of size \(entry.size) goes past the end of the file (\(file.size) bytes)"
            )
        }
        return try file.read(
            at: entry.dataOffset, count: Int(entry.size), errorOffset: entry.headerOffset, member: entry.name)
    }

    static func padded(_ size: Int64) -> Int64 {
        (size + 511) / 512 * 512
    }

    /// Reads an `x`/`g`/`L`/`K` header's data after checking it is small and inside the file.
    private func extendedHeaderData(_ header: TarHeaderBlock, at blockOffset: Int64, dataOffset: Int64) throws
        -> [UInt8]
    {
        guard let size = TarHeaderBlock.number(header.bytes[TarHeaderBlock.Field.size]), size >= 0 else {
            throw error(
                .badHeader, at: blockOffset,
                "extended header's size field \(header.string(TarHeaderBlock.Field.size).debugDescription) is not a number"
            )
        }
        if size > file.size {
            throw error(
                .sizePastEnd, at: blockOffset,
                "extended header's declared size \(size) goes past the end of the file (\(file.size) bytes)")
        }
        guard size <= Int64(Self.extendedHeaderLimit) else {
            throw error(
                .badHeader, at: blockOffset,
                "extended header of \(size) bytes is over the \(Self.extendedHeaderLimit)-byte limit")
        }
        guard dataOffset + Self.padded(size) <= file.size else {
            throw error(
                .truncatedHeader, at: blockOffset, "file ends inside an extended header's \(size) bytes of data")
        }
        return try file.read(at: dataOffset, count: Int(size), errorOffset: blockOffset)
    }

    private func member(
        _ header: TarHeaderBlock, at blockOffset: Int64, recordStart: Int64, dataOffset headerEnd: Int64,
        pending: PendingExtendedHeaders
    ) throws -> TarEntry {
        typealias Field = TarHeaderBlock.Field
        var name = header.string(Field.name)
        if header.isPOSIXUstar {
            let prefix = header.string(Field.prefix)
            if !prefix.isEmpty { name = prefix + "/" + name }
        }
        if let longName = pending.gnuLongName { name = longName }
        if let path = pending.path { name = path }

        var type = TarEntryType(typeFlag: header.typeFlag)
        // Before ustar, a directory was a regular-file header whose name ends in a slash.
        if header.typeFlag == 0, name.utf8.last == UInt8(ascii: "/") { type = .directory }

        let linkName = pending.linkPath ?? pending.gnuLongLink ?? header.string(Field.linkName)
        func numeric(_ range: Range<Int>, _ what: String) throws -> Int64 {
            guard let value = TarHeaderBlock.number(header.bytes[range]) else {
                throw error(
                    .badHeader, at: blockOffset, member: name,
                    "\(what) field \(header.string(range).debugDescription) is not a number")
            }
            return value
        }
        let mode = try numeric(Field.mode, "mode")
        guard let mode32 = UInt32(exactly: mode & 0o7777777) else {
            throw error(.badHeader, at: blockOffset, member: name, "mode \(mode) is out of range")
        }
        let mtime = try pending.mtime ?? numeric(Field.mtime, "mtime")
        var size: Int64 = 0
        if type.hasDataBlocks {
            size = try pending.size ?? numeric(Field.size, "size")
            guard size >= 0 else {
                throw error(.badHeader, at: blockOffset, member: name, "declared size \(size) is negative")
            }
        }

        var dataOffset = headerEnd
        if type == .gnuSparse, header.bytes[Field.gnuSparseIsExtended] != 0 {
            dataOffset = try skipSparseExtensions(from: headerEnd, headerOffset: blockOffset, member: name)
        }
        if size > file.size {
            throw error(
                .sizePastEnd, at: blockOffset, member: name,
                "declared size \(size) goes past the end of the file (\(file.size) bytes)")
        }
        let recordEnd = dataOffset + Self.padded(size)
        guard recordEnd <= file.size else {
            let detail =
                dataOffset + size > file.size
                ? "file ends inside the member's data: \(max(0, file.size - dataOffset)) of \(size) bytes present"
                : "file ends inside the padding after the member's \(size) bytes of data"
            throw error(.truncatedMember, at: blockOffset, member: name, detail)
        }
        return TarEntry(
            name: name, type: type, typeFlag: header.typeFlag, size: size, mode: mode32, mtime: mtime,
            linkName: linkName, headerOffset: recordStart, dataOffset: dataOffset, recordEnd: recordEnd)
    }

    /// Old GNU sparse members keep extra sparse maps in blocks between header and data.
    private func skipSparseExtensions(from offset: Int64, headerOffset: Int64, member: String) throws -> Int64 {
        var cursor = offset
        while true {
            guard cursor + Int64(TarHeaderBlock.size) <= file.size else {
                throw error(
                    .truncatedHeader, at: headerOffset, member: member, "file ends inside a GNU sparse extension block")
            }
            let block = try file.read(at: cursor, count: TarHeaderBlock.size, errorOffset: headerOffset, member: member)
            cursor += Int64(TarHeaderBlock.size)
            if block[TarHeaderBlock.Field.gnuSparseExtensionIsExtended] == 0 { return cursor }
        }
    }

    private func error(_ kind: TarError.Kind, at offset: Int64, member: String? = nil, _ detail: String) -> TarError {
        TarError(kind, file: file.displayName, offset: offset, member: member, detail: detail)
    }
}
