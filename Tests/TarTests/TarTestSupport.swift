import Foundation
import Seeding
import Tar
import TestSupport

/// Shared helpers for the tar tests: reading whole archives, the system tar, and hand-made
/// header blocks for archives no well-behaved writer would produce.
enum TarTestSupport {
    struct Member: Equatable, CustomStringConvertible {
        var name: String
        var type: TarEntryType
        var size: Int64
        var data: [UInt8]
        var linkName: String
        var description: String { "\(name) (\(type), \(size) bytes)" }
    }

    /// Every member with its data (test archives are small).
    static func readAll(_ url: URL) throws -> [Member] {
        let reader = try TarReader(path: url.path, displayName: url.lastPathComponent)
        var members: [Member] = []
        while let entry = try reader.next() {
            members.append(
                Member(
                    name: entry.name, type: entry.type, size: entry.size,
                    data: try reader.readData(entry, limit: 1 << 26), linkName: entry.linkName))
        }
        return members
    }

    static func entries(_ url: URL) throws -> [TarEntry] {
        let reader = try TarReader(path: url.path, displayName: url.lastPathComponent)
        var entries: [TarEntry] = []
        while let entry = try reader.next() { entries.append(entry) }
        return entries
    }

    /// The error reading the archive to its end throws, or nil when it reads cleanly.
    static func readingError(_ url: URL, displayName: String = "test.tar") -> TarError? {
        do {
            let reader = try TarReader(path: url.path, displayName: displayName)
            while let entry = try reader.next() {
                if entry.size <= 1 << 20 { _ = try reader.readData(entry, limit: 1 << 20) }
            }
            return nil
        } catch let error as TarError {
            return error
        } catch {
            return TarError(.io, file: displayName, offset: -1, detail: "unexpected \(error)")
        }
    }

    static var systemTar: URL? {
        ["/usr/bin/tar", "/bin/tar"].first { FileManager.default.isExecutableFile(atPath: $0) }
            .map { URL(fileURLWithPath: $0) }
    }

    static func randomBytes(_ count: Int, _ generator: inout SeededGenerator) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 8)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next()) { bytes.append(contentsOf: $0) }
        }
        return Array(bytes.prefix(count))
    }

    static func bytes(_ url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    /// A header block with the given fields, checksummed unless `checksum` overrides it.
    /// `size` is raw field bytes so tests can store octal, base-256 or garbage.
    static func header(
        name: String, typeFlag: Character = "0", size: [UInt8], magic: String = "ustar\u{0}00",
        prefix: String = "", checksum: String? = nil, signedChecksum: Bool = false
    ) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ bytes: some Sequence<UInt8>, at offset: Int) {
            for (index, byte) in bytes.enumerated() { block[offset + index] = byte }
        }
        put(name.utf8, at: 0)
        put("0000644\u{0}".utf8, at: 100)
        put("0000000\u{0}".utf8, at: 108)
        put("0000000\u{0}".utf8, at: 116)
        put(size, at: 124)
        put("14000000000\u{0}".utf8, at: 136)
        block[156] = typeFlag.asciiValue ?? 0
        put(magic.utf8, at: 257)
        put(prefix.utf8, at: 345)
        put("        ".utf8, at: 148)
        let sum =
            signedChecksum
            ? block.reduce(0) { $0 + Int($1 > 127 ? Int($1) - 256 : Int($1)) }
            : block.reduce(0) { $0 + Int($1) }
        let text =
            checksum
            ?? (String(repeating: "0", count: max(0, 6 - String(sum, radix: 8).count)) + String(sum, radix: 8)
                + "\u{0} ")
        put(Array(text.utf8).prefix(8), at: 148)
        return block
    }

    static func octalSize(_ value: Int64) -> [UInt8] {
        let digits = String(value, radix: 8)
        return Array((String(repeating: "0", count: max(0, 11 - digits.count)) + digits + "\u{0}").utf8)
    }

    static func padded(_ data: [UInt8]) -> [UInt8] {
        data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }

    /// A pax `x` header plus its data blocks.
    static func paxHeader(_ records: [(String, String)]) -> [UInt8] {
        var data: [UInt8] = []
        for (key, value) in records {
            let body = " \(key)=\(value)\n"
            var length = body.utf8.count + 1
            while String(length).count + body.utf8.count != length { length = String(length).count + body.utf8.count }
            data += Array("\(length)\(body)".utf8)
        }
        return header(name: "PaxHeaders/x", typeFlag: "x", size: octalSize(Int64(data.count))) + padded(data)
    }

    static let endBlocks = [UInt8](repeating: 0, count: 1024)
}
