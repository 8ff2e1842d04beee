#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A read-only file read with pread at explicit offsets, so that only the bytes asked for
/// (the footer, one column chunk) are ever in memory.
final class FileInput {
    let path: String
    let size: Int64
    private let descriptor: Int32

    init(path: String, displayName: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ParquetError(.io, file: displayName, "cannot open: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ParquetError(.io, file: displayName, "cannot stat: \(reason)")
        }
        descriptor = fd
        size = Int64(info.st_size)
    }

    deinit { close(descriptor) }

    /// Exactly `count` bytes at `offset`; the caller has checked that they lie inside the file.
    func read(at offset: Int64, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset + Int64(count) <= size else {
            throw DecodeFailure(
                .truncated, offset: offset, "read of \(count) bytes past the end of the file (\(size) bytes)")
        }
        return try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let got = pread(
                    descriptor, buffer.baseAddress.map { $0 + done }, count - done, off_t(offset) + off_t(done))
                if got < 0 {
                    if errno == EINTR { continue }
                    throw DecodeFailure(
                        .io, offset: offset + Int64(done), "read failed: \(String(cString: strerror(errno)))")
                }
                if got == 0 {
                    throw DecodeFailure(.truncated, offset: offset + Int64(done), "file shrank while reading")
                }
                done += got
            }
            initialized = count
        }
    }
}
