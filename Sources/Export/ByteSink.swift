import Foundation

/// A buffered, append-only file writer working on raw bytes. Exports write hundreds of
/// megabytes a field at a time; a plain byte buffer flushed with write(2) keeps that to
/// memcpy speed, and the buffer's size is what bounds the writer's memory.
final class ByteSink {
    let url: URL
    private let fd: Int32
    private let capacity: Int
    private let buffer: UnsafeMutablePointer<UInt8>
    private var count = 0
    private(set) var bytesWritten: Int64 = 0

    /// Creates `url`, which must not exist.
    init(creating url: URL, capacity: Int = 1 << 20) throws {
        self.url = url
        fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ExportError(.fileSystem, "\(url.path): cannot create: \(String(cString: strerror(errno)))")
        }
        self.capacity = capacity
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        if fd >= 0 { close(fd) }
    }

    @inline(__always)
    func append(_ byte: UInt8) throws {
        if count == capacity { try flush() }
        buffer[count] = byte
        count += 1
    }

    func append(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity {
            try flush()
            if bytes.count > capacity { return try writeAll(base, bytes.count) }
        }
        (buffer + count).update(from: base, count: bytes.count)
        count += bytes.count
    }

    func append(_ text: StaticString) throws {
        try append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    func append(_ text: String) throws {
        var text = text
        try text.withUTF8 { try append($0) }
    }

    func appendDecimal(_ number: Int64) throws {
        // Digits written backwards into a small stack buffer: no String per number.
        var value = number.magnitude
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { scratch in
            var i = scratch.count
            repeat {
                i -= 1
                scratch[i] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            } while value > 0
            if number < 0 {
                i -= 1
                scratch[i] = UInt8(ascii: "-")
            }
            try append(UnsafeBufferPointer(rebasing: scratch[i...]))
        }
    }

    func flush() throws {
        if count > 0 { try writeAll(buffer, count) }
        count = 0
    }

    /// Flushes and forces the bytes to disk.
    func sync() throws {
        try flush()
        guard fsync(fd) == 0 else {
            throw ExportError(.fileSystem, "\(url.path): fsync failed: \(String(cString: strerror(errno)))")
        }
    }

    private func writeAll(_ start: UnsafePointer<UInt8>, _ length: Int) throws {
        var offset = 0
        while offset < length {
            let n = write(fd, start + offset, length - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw ExportError(.fileSystem, "\(url.path): write failed: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        bytesWritten += Int64(length)
    }
}
