#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes an archive front to back: new members from bytes in memory, or records copied
/// verbatim from another archive without passing through memory. The caller chooses the path
/// (typically a temporary name it renames after `finish()`).
///
/// New members get POSIX ustar headers, preceded by a pax `x` header when the name is not
/// ASCII or does not fit ustar's name/prefix split, or a size or mtime does not fit its field.
/// Names are stored as given: the writer does not judge whether they are safe paths.
///
/// Raw copies are deferred and merged with the next adjacent one, so an I/O error while
/// copying may be thrown by the following call or by `finish()`.
public final class TarWriter {
    public let path: String
    public let syncOnFinish: Bool
    /// Bytes written so far, counting raw copies not yet flushed: the offset at which the
    /// next member will start.
    public var bytesWritten: Int64 { flushedBytes + Int64(pendingCopy?.range.count ?? 0) }

    static let copyBufferSize = 1 << 20
    /// With `syncOnFinish`, writeback of what was written is started every this many bytes.
    static let writebackInterval: Int64 = 8 << 20

    private let descriptor: Int32
    private var flushedBytes: Int64 = 0
    /// Everything before this offset has been handed to `KernelWriteback`.
    private var writebackStarted: Int64 = 0
    private var isFinished = false
    /// Raw copies of adjacent records from one source are merged and done in one go when
    /// something else is written: copying a whole run costs one system call instead of one
    /// per member, which is what keeps record-by-record copying as fast as `cp`.
    private var pendingCopy: (source: ReadableFile, range: Range<Int64>, member: String?)?
    private var copyStage: RawCopyStage
    private var copyBuffer: UnsafeMutableRawBufferPointer?

    /// Creates or truncates `path`. With `syncOnFinish`, `finish()` fsyncs before closing.
    public init(path: String, syncOnFinish: Bool = true, copyMethod: TarRawCopyMethod = .automatic) throws {
        self.path = path
        self.syncOnFinish = syncOnFinish
        #if os(Linux)
            copyStage = copyMethod == .automatic ? .copyFileRange : .buffered
        #else
            copyStage = .buffered
        #endif
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw TarError(.io, file: path, offset: 0, detail: "cannot create: \(SystemError.message(errno))")
        }
    }

    deinit {
        copyBuffer?.deallocate()
        if !isFinished { close(descriptor) }
    }

    /// Appends a regular file holding `data`.
    public func append(name: String, data: [UInt8], mode: UInt32 = 0o644, mtime: Int64 = 0) throws {
        try checkOpen()
        let nameBytes = Array(name.utf8)
        guard !nameBytes.isEmpty, !nameBytes.contains(0) else {
            throw TarError(
                .invalidName, file: path, offset: bytesWritten, member: name,
                detail: "a member name must be non-empty and free of NUL")
        }
        var pax: [(key: String, value: [UInt8])] = []
        let ustarName: (name: [UInt8], prefix: [UInt8])
        if let split = Self.ustarSplit(nameBytes) {
            ustarName = split
        } else {
            pax.append((key: "path", value: nameBytes))
            ustarName = (name: Self.fallbackName(nameBytes), prefix: [])
        }
        let size = Int64(data.count)
        if size > TarHeaderBuilder.octalLimit(width: 12) {
            pax.append((key: "size", value: Array(String(size).utf8)))
        }
        if mtime < 0 || mtime > TarHeaderBuilder.octalLimit(width: 12) {
            pax.append((key: "mtime", value: Array(String(mtime).utf8)))
        }

        var record: [UInt8] = []
        record.reserveCapacity(3 * TarHeaderBlock.size + data.count)
        if !pax.isEmpty {
            let paxData = PaxExtendedHeader(records: pax).encoded()
            let paxName = Array("PaxHeaders/".utf8) + Self.fallbackName(nameBytes).suffix(89)
            record +=
                TarHeaderBuilder(
                    name: paxName, prefix: [], typeFlag: UInt8(ascii: "x"),
                    size: Int64(paxData.count), mode: 0o644, mtime: max(0, mtime)
                ).bytes
            record += paxData
            record += Self.padding(after: Int64(paxData.count))
        }
        record +=
            TarHeaderBuilder(
                name: ustarName.name, prefix: ustarName.prefix, typeFlag: UInt8(ascii: "0"),
                size: size, mode: mode, mtime: mtime
            ).bytes
        record += data
        record += Self.padding(after: size)
        try flushPendingCopy()
        try writeAll(record)
        startWritebackIfDue()
    }

    /// Copies `entry`'s whole record — its extended headers, header, data and padding —
    /// from the archive `reader` is reading, byte for byte.
    public func appendRaw(from reader: TarReader, entry: TarEntry) throws {
        try checkOpen()
        try copy(from: reader.file, range: entry.headerOffset..<entry.recordEnd, member: entry.name)
    }

    /// Copies bytes `range` of the archive at `sourcePath` verbatim; the range must be whole
    /// 512-byte blocks (as `[headerOffset, recordEnd)` of an entry is) so the output stays a tar.
    public func copyRecord(fromPath sourcePath: String, range: Range<Int64>) throws {
        try checkOpen()
        if let pending = pendingCopy, pending.source.path == sourcePath, pending.range.upperBound == range.lowerBound {
            try copy(from: pending.source, range: range, member: nil)
        } else {
            try copy(from: ReadableFile(path: sourcePath, displayName: sourcePath), range: range, member: nil)
        }
    }

    /// Ends the archive with two zero blocks, fsyncs when `syncOnFinish`, and closes the file.
    public func finish() throws {
        try checkOpen()
        try flushPendingCopy()
        try writeAll([UInt8](repeating: 0, count: 2 * TarHeaderBlock.size))
        isFinished = true
        if syncOnFinish, fsync(descriptor) != 0 {
            let code = errno
            close(descriptor)
            throw TarError(.io, file: path, offset: bytesWritten, detail: "fsync failed: \(SystemError.message(code))")
        }
        if close(descriptor) != 0 {
            throw TarError(.io, file: path, offset: bytesWritten, detail: "close failed: \(SystemError.message(errno))")
        }
    }

    // MARK: - Names

    /// ustar holds an ASCII name of up to 100 bytes, or up to 155 bytes of directories in
    /// `prefix` plus up to 100 bytes after a slash in `name`. nil when it cannot.
    static func ustarSplit(_ name: [UInt8]) -> (name: [UInt8], prefix: [UInt8])? {
        guard name.allSatisfy({ $0 < 0x80 }) else { return nil }
        if name.count <= 100 { return (name: name, prefix: []) }
        // The longest prefix that fits leaves the shortest name.
        for slash in name.indices.reversed() where name[slash] == UInt8(ascii: "/") {
            let prefix = name[..<slash]
            let rest = name[(slash + 1)...]
            if rest.count > 100 { return nil }
            if prefix.count <= 155 && !rest.isEmpty && !prefix.isEmpty {
                return (name: Array(rest), prefix: Array(prefix))
            }
        }
        return nil
    }

    /// What readers that ignore pax see: the last component, ASCII only, at most 100 bytes.
    static func fallbackName(_ name: [UInt8]) -> [UInt8] {
        let last = name.split(separator: UInt8(ascii: "/")).last.map(Array.init) ?? name
        let ascii = last.map { $0 < 0x80 ? $0 : UInt8(ascii: "_") }
        return Array(ascii.suffix(100))
    }

    static func padding(after size: Int64) -> [UInt8] {
        [UInt8](repeating: 0, count: Int(TarReader.padded(size) - size))
    }

    // MARK: - Output

    private func checkOpen() throws {
        if isFinished {
            throw TarError(
                .writerFinished, file: path, offset: bytesWritten, detail: "the archive was already finished")
        }
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeAll($0) }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            guard let base = bytes.baseAddress else { return }
            let result = write(descriptor, base + done, bytes.count - done)
            if result < 0 {
                if errno == EINTR { continue }
                throw TarError(
                    .io, file: path, offset: bytesWritten, detail: "write failed: \(SystemError.message(errno))")
            }
            done += result
            flushedBytes += Int64(result)
        }
    }

    private func copy(from source: ReadableFile, range: Range<Int64>, member: String?) throws {
        guard range.lowerBound >= 0, range.upperBound <= source.size,
            range.lowerBound % 512 == 0, range.upperBound % 512 == 0
        else {
            throw TarError(
                .invalidRange, file: path, offset: bytesWritten, member: member,
                detail:
                    "cannot copy bytes \(range) of \(source.displayName) (\(source.size) bytes): not whole 512-byte blocks inside the file"
            )
        }
        if let pending = pendingCopy, pending.source === source, pending.range.upperBound == range.lowerBound {
            pendingCopy = (source, pending.range.lowerBound..<range.upperBound, pending.member)
            return
        }
        try flushPendingCopy()
        pendingCopy = (source, range, member)
    }

    private func flushPendingCopy() throws {
        guard let pending = pendingCopy else { return }
        pendingCopy = nil
        try copyNow(
            from: pending.source.descriptor, sourceName: pending.source.displayName, range: pending.range,
            member: pending.member)
        startWritebackIfDue()
    }

    /// The fsync in `finish()` will write every page anyway; starting on them as they fill
    /// lets the disk work while the rest is copied, instead of all of it at the end.
    private func startWritebackIfDue() {
        guard syncOnFinish, flushedBytes - writebackStarted >= Self.writebackInterval else { return }
        KernelWriteback.start(descriptor, range: writebackStarted..<flushedBytes)
        writebackStarted = flushedBytes
    }

    private func copyNow(from source: Int32, sourceName: String, range: Range<Int64>, member: String?) throws {
        var offset = range.lowerBound
        while offset < range.upperBound {
            let count = Int(min(range.upperBound - offset, 1 << 30))
            let outcome: KernelFileCopy.Outcome
            switch copyStage {
            case .copyFileRange:
                outcome = KernelFileCopy.copyFileRange(from: source, offset: &offset, to: descriptor, count: count)
            case .sendFile:
                outcome = KernelFileCopy.sendFile(from: source, offset: &offset, to: descriptor, count: count)
            case .buffered:
                outcome = try copyBuffered(from: source, sourceName: sourceName, offset: &offset, count: count)
            }
            switch outcome {
            case .copied(0):
                throw TarError(
                    .io, file: path, offset: bytesWritten, member: member,
                    detail: "\(sourceName) ended at \(offset) while copying bytes \(range) (did it shrink?)")
            case .copied(let copied):
                if copyStage != .buffered { flushedBytes += Int64(copied) }
            case .interrupted:
                continue
            case .unsupported:
                copyStage = copyStage == .copyFileRange ? .sendFile : .buffered
            case .failed(let code):
                throw TarError(
                    .io, file: path, offset: bytesWritten, member: member,
                    detail: "copying bytes \(range) of \(sourceName) failed: \(SystemError.message(code))")
            }
        }
    }

    private func copyBuffered(from source: Int32, sourceName: String, offset: inout Int64, count: Int) throws
        -> KernelFileCopy.Outcome
    {
        let buffer =
            copyBuffer ?? UnsafeMutableRawBufferPointer.allocate(byteCount: Self.copyBufferSize, alignment: 4096)
        copyBuffer = buffer
        guard let base = buffer.baseAddress else { return .unsupported }
        let result = pread(source, base, min(count, buffer.count), off_t(offset))
        if result < 0 { return errno == EINTR ? .interrupted : .failed(errno) }
        try writeAll(UnsafeRawBufferPointer(start: base, count: result))
        offset += Int64(result)
        return .copied(result)
    }
}
