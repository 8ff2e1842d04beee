#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file written front to back, tracking the offset the next byte lands at.
final class FileOutput {
    let path: String
    private(set) var offset: Int64 = 0
    private var descriptor: Int32

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ParquetError(.io, file: path, "cannot create: \(String(cString: strerror(errno)))")
        }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let wrote = Self.systemWrite(descriptor, buffer.baseAddress.map { $0 + done }, buffer.count - done)
                if wrote < 0 {
                    if errno == EINTR { continue }
                    throw ParquetError(
                        .io, file: path, offset: offset + Int64(done),
                        "write failed: \(String(cString: strerror(errno)))")
                }
                done += wrote
            }
        }
        offset += Int64(bytes.count)
    }

    private static func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
            return Glibc.write(fd, buffer, count)
        #else
            return Darwin.write(fd, buffer, count)
        #endif
    }

    func finish() throws {
        guard descriptor >= 0 else { return }
        let status = close(descriptor)
        descriptor = -1
        guard status == 0 else {
            throw ParquetError(.io, file: path, "close failed: \(String(cString: strerror(errno)))")
        }
    }
}
