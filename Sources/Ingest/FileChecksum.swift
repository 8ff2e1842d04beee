import Crypto
import Foundation

/// SHA-256 of a file, streamed: how a job recognises a dataset file it already holds.
enum FileChecksum {
    static func sha256(of url: URL) throws -> (hex: String, bytes: Int64) {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw EnqueueError(.unreadable, "\(url.path): cannot open for reading")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            bytes += Int64(chunk.count)
        }
        let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return (hex, bytes)
    }
}
