#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A window onto the file read with read(2) in large chunks. The reader consumes bytes by moving
/// `start`; `refill()` slides the unconsumed tail to the front and reads more behind it, so memory
/// is bounded by the largest record the reader lets accumulate, not by the file size.
final class FileChunkBuffer {
    let fileName: String
    private let descriptor: Int32
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// First byte not yet consumed.
    var start = 0
    /// One past the last byte read.
    private(set) var limit = 0
    private(set) var isEOF = false

    init(path: String, fileName: String, chunkSize: Int) throws {
        self.fileName = fileName
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            throw CaptionFileError(file: fileName, kind: .cannotOpen, message: "cannot open: \(Self.errnoText())")
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw CaptionFileError(file: fileName, kind: .cannotOpen, message: "cannot open: is a directory")
        }
        descriptor = fd
        capacity = chunkSize
        base = .allocate(capacity: chunkSize)
    }

    deinit {
        close(descriptor)
        base.deallocate()
    }

    /// Reads until the buffer is full or the file ends, so format detection sees a full sample.
    func fillBuffer() throws {
        while limit < capacity, !isEOF {
            _ = try refill()
        }
    }

    /// Makes more bytes available after `limit`. Returns false when the file has ended.
    @discardableResult
    func refill() throws -> Bool {
        if isEOF { return false }
        if start > 0 {
            let pending = limit - start
            if pending > 0 { memmove(base, base + start, pending) }
            start = 0
            limit = pending
        }
        if limit == capacity {
            // One record fills the whole window: grow it (the reader caps how far).
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            grown.update(from: base, count: limit)
            base.deallocate()
            base = grown
            capacity *= 2
        }
        while true {
            let count = read(descriptor, base + limit, capacity - limit)
            if count > 0 {
                limit += count
                return true
            }
            if count == 0 {
                isEOF = true
                return false
            }
            if errno == EINTR { continue }
            throw CaptionFileError(file: fileName, kind: .readFailed, message: "read failed: \(Self.errnoText())")
        }
    }

    /// Drops everything read so far (used while skipping an oversized record).
    func discardAll() {
        start = limit
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
