import Foundation
import Parquet
import Seeding
import TestSupport
import Testing

/// Damaged files must fail with a ParquetError that says where, never crash or allocate wildly.
@Suite(
    "Corrupt and hostile input", .enabled(if: PythonReference.isAvailable, "\(PythonReference.unavailableReason ?? "")")
)
struct CorruptInputTests {
    let fixtures: ReferenceFixtures
    let scratch: TemporaryDirectory

    init() throws {
        fixtures = try ReferenceFixtures.get()
        scratch = try TemporaryDirectory("laclip-parquet-corrupt")
    }

    func original(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixtures.path(name))))
    }

    /// Opens and reads every row group of `bytes`; returns the error it failed with.
    func failure(_ bytes: [UInt8], column: String = "s") throws -> ParquetError? {
        let url = try scratch.write("damaged.parquet", bytes: bytes)
        do {
            let reader = try ParquetFileReader(path: url.path, displayName: "damaged.parquet")
            for group in 0..<reader.rowGroupCount { _ = try reader.readRowGroup(group, columns: [column]) }
            return nil
        } catch let error as ParquetError {
            #expect(error.file == "damaged.parquet")
            return error
        }
    }

    @Test func truncatedFile() throws {
        let bytes = try original("single-SNAPPY.parquet")
        let error = try failure(Array(bytes.prefix(bytes.count / 2)))
        #expect(error?.kind == .truncated)
        #expect(try failure([])?.kind == .truncated)
        #expect(try failure(Array("PAR1PAR1".utf8))?.kind == .truncated)
    }

    @Test func wrongMagic() throws {
        var bytes = try original("single-NONE.parquet")
        bytes[3] = UInt8(ascii: "0")
        let error = try failure(bytes)
        #expect(error?.kind == .notParquet)
        #expect(error?.offset == 0)
        #expect(try failure(Array("image_path,caption\nimages/1.jpg,a dog\n".utf8))?.kind == .notParquet)
    }

    @Test func footerLengthPastTheFile() throws {
        var bytes = try original("single-NONE.parquet")
        let size = UInt32(bytes.count)
        for index in 0..<4 { bytes[bytes.count - 8 + index] = UInt8(truncatingIfNeeded: size >> (8 * UInt32(index))) }
        let error = try failure(bytes)
        #expect(error?.kind == .corrupt)
        #expect(error?.offset == Int64(bytes.count - 8))
    }

    /// Overwrites the second half of the only page's compressed bytes.
    @Test(arguments: ["single-SNAPPY.parquet", "single-ZSTD.parquet", "single-GZIP.parquet"])
    func damagedCompressedPage(file: String) throws {
        var bytes = try original(file)
        let target = try #require(fixtures.damageTargets[file])
        for index in (target.offset + target.size / 2)..<(target.offset + target.size) { bytes[index] = 0xFF }
        let error = try failure(bytes)
        #expect(error?.kind == .corrupt)
        #expect(error?.column == "s")
        #expect(error?.offset == Int64(target.offset))
        #expect(error?.description.contains("page does not decompress") == true, "\(String(describing: error))")
    }

    /// A page header whose compressed size points far past the column chunk.
    @Test func pageSizePastTheChunk() throws {
        var bytes = try original("single-NONE.parquet")
        let target = try #require(fixtures.damageTargets["single-NONE.parquet"])
        // The header starts with field 1 (type), field 2 (uncompressed size), field 3 (compressed
        // size), each a one-byte field header and a varint; rewrite field 3's varint, same length.
        var position = target.offset
        func skipVarint() { while bytes[position] & 0x80 != 0 { position += 1 }; position += 1 }
        position += 1; skipVarint()
        position += 1; skipVarint()
        position += 1
        let start = position
        skipVarint()
        for index in start..<(position - 1) { bytes[index] = 0xFE }
        bytes[position - 1] = 0x7F
        let error = try failure(bytes)
        #expect(error?.kind == .corrupt)
        #expect(error?.offset == Int64(target.offset))
        #expect(error?.description.contains("page declares") == true, "\(String(describing: error))")
    }

    @Test func damagedPlainValues() throws {
        var bytes = try original("single-NONE.parquet")
        let target = try #require(fixtures.damageTargets["single-NONE.parquet"])
        for index in (target.offset + target.size / 2)..<(target.offset + target.size / 2 + 64) { bytes[index] = 0xFF }
        #expect(try failure(bytes)?.kind == .corrupt)
    }

    /// Random byte damage anywhere, and truncation at many lengths: any outcome but a crash.
    @Test(arguments: [
        "single-NONE.parquet", "single-SNAPPY.parquet", "pa-SNAPPY-dict-v2.parquet", "pa-delta-NONE-v1.parquet",
    ])
    func randomDamageNeverCrashes(file: String) throws {
        let bytes = try original(file)
        var generator = SeededGenerator(seed: UInt64(file.utf8.count))
        let column = file.hasPrefix("single") ? "s" : "b"
        for round in 0..<150 {
            var damaged = bytes
            // Half the rounds hit the footer, where one byte changes the meaning of everything after it.
            let footerSpan = min(bytes.count, 600)
            for _ in 0..<(1 + round % 4) {
                let index =
                    round % 2 == 0
                    ? bytes.count - 1 - Int(generator.next() % UInt64(footerSpan))
                    : Int(generator.next() % UInt64(bytes.count))
                damaged[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            _ = try failure(damaged, column: column)
        }
        for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 60)) {
            #expect(try failure(Array(bytes.prefix(length)), column: column) != nil)
        }
    }
}
