#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An archive opened for reading at explicit offsets (pread): the header walk keeps its own
/// position, so reading a member's data never disturbs it and nothing is read that is not asked for.
final class ReadableFile {
    let descriptor: Int32
    let size: Int64
    let path: String
    let displayName: String

    /// Reads this small are served from one window read ahead: a WebDataset sample's headers
    /// and small members (.txt, .json) and the next header lie within a few blocks, so one
    /// pread covers what would otherwise be four.
    static let windowSize = 4096
    private var window: [UInt8] = []
    private var windowStart: Int64 = 0

    init(path: String, displayName: String) throws {
        self.path = path
        self.displayName = displayName
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw TarError(
                .io, file: displayName, offset: 0, detail: "cannot open \(path): \(SystemError.message(errno))")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw TarError(
                .io, file: displayName, offset: 0, detail: "cannot stat \(path): \(SystemError.message(code))")
        }
        self.descriptor = descriptor
        self.size = Int64(status.st_size)
    }

    deinit { close(descriptor) }

    /// Exactly `count` bytes at `offset`; the caller has already checked they lie inside the file,
    /// so a short read means the file shrank underneath us (reported as `.io`).
    func read(at offset: Int64, count: Int, errorOffset: Int64, member: String? = nil) throws -> [UInt8] {
        guard count <= Self.windowSize, offset >= 0 else {
            return try readExactly(at: offset, count: count, errorOffset: errorOffset, member: member)
        }
        if offset < windowStart || offset + Int64(count) > windowStart + Int64(window.count) {
            let length = Int(max(Int64(count), min(Int64(Self.windowSize), size - offset)))
            // A window that cannot be read whole is not kept: the exact read reports the problem.
            guard let filled = try? readExactly(at: offset, count: length, errorOffset: errorOffset, member: member)
            else {
                window = []
                return try readExactly(at: offset, count: count, errorOffset: errorOffset, member: member)
            }
            window = filled
            windowStart = offset
        }
        let start = Int(offset - windowStart)
        return Array(window[start..<(start + count)])
    }

    private func readExactly(at offset: Int64, count: Int, errorOffset: Int64, member: String?) throws -> [UInt8] {
        var failure: TarError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let result = pread(
                    descriptor, buffer.baseAddress.map { $0 + done }, count - done, off_t(offset + Int64(done)))
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = TarError(
                        .io, file: displayName, offset: errorOffset, member: member,
                        detail: "read of \(count) bytes at \(offset) failed: \(SystemError.message(errno))")
                    break
                }
                if result == 0 {
                    failure = TarError(
                        .io, file: displayName, offset: errorOffset, member: member,
                        detail:
                            "file ended after \(offset + Int64(done)) bytes while reading \(count) bytes at \(offset) (did it shrink?)"
                    )
                    break
                }
                done += result
            }
            // Zero the unread tail so the array is fully initialized even on failure.
            if done < count { (buffer.baseAddress.map { $0 + done })?.initialize(repeating: 0, count: count - done) }
            initialized = count
        }
        if let failure { throw failure }
        return bytes
    }
}
