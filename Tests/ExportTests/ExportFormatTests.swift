import Foundation
import TestSupport
import Testing

/// Every format read back by Python's own readers: row alignment and byte-exact text.
@Suite struct ExportFormatTests {
    static let styles = ["chatgpt", "bard"]

    /// What a line-aligned text file must hold for `text`: every line boundary Python knows
    /// becomes one space per scalar.
    static func folded(_ text: String) -> String {
        let breaks: Set<UInt32> = [0x0A, 0x0D, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029]
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { out.append(breaks.contains(scalar.value) ? " " : scalar) }
        return String(out)
    }

    func readyFixture() throws -> ExportFixture {
        let fixture = try ExportFixture(captions: ExportFixture.trickyCaptions, styles: Self.styles)
        try fixture.complete()
        return fixture
    }

    @Test func laclipFilesAreLineAlignedAndExact() throws {
        let fixture = try readyFixture()
        let out = fixture.directory.path("out/train.csv")
        let result = try fixture.export(["--format", "laclip", "--out", out.path])
        #expect(result.status == 0, "\(result)")

        let rows = try PythonReader.read(PythonReader.csvRows, [out.path], as: [[String]].self)
        #expect(bytes(rows) == bytes(fixture.rows.map { [$0.image, $0.caption] }))
        for (style, name) in Self.styles.enumerated() {
            let file = fixture.directory.path("out/train_\(name).txt")
            struct Lines: Decodable { var lines: [String]; var readlines: Int; var splitlines: Int }
            let read = try PythonReader.read(PythonReader.textLines, [file.path], as: Lines.self)
            #expect(read.lines.count == fixture.rows.count)
            #expect(read.readlines == fixture.rows.count, "a loader using readlines() must see one line per row")
            #expect(read.splitlines == fixture.rows.count, "a loader using splitlines() must see one line per row")
            let expected = fixture.rows.indices.map {
                Self.folded(ExportFixture.rewrite(caption: Int64($0), style: style))
            }
            #expect(bytes(read.lines) == bytes(expected))
        }
        // The temporary files are gone.
        let left = try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path("out").path)
        #expect(left.sorted() == ["train.csv", "train_bard.txt", "train_chatgpt.txt"])
    }

    @Test(arguments: [("comma", ","), ("tab", "\t")])
    func openclipReadsBackExactly(separator: String, delimiter: String) throws {
        let fixture = try readyFixture()
        let out = fixture.directory.path("train.\(separator == "tab" ? "tsv" : "csv")")
        let result = try fixture.export(["--format", "openclip", "--out", out.path, "--separator", separator])
        #expect(result.status == 0, "\(result)")
        let rows = try PythonReader.read(PythonReader.csvRows, [out.path, delimiter], as: [[String]].self)
        var expected = [["filepath", "title"] + Self.styles]
        for (i, row) in fixture.rows.enumerated() {
            expected.append(
                [row.image, row.caption]
                    + Self.styles.indices.map { ExportFixture.rewrite(caption: Int64(i), style: $0) })
        }
        #expect(bytes(rows) == bytes(expected))
    }

    /// A job enqueued with an id column carries it to the text exports too: first in the open_clip
    /// CSV under the source's name, a line-aligned `NAME.keys.txt` beside LaCLIP's files, and
    /// `key` in JSONL.
    @Test func idsReachEveryTextExport() throws {
        let fixture = try ExportFixture(captions: ExportFixture.trickyCaptions, styles: Self.styles, ids: true)
        try fixture.complete()
        let ids = fixture.rows.indices.map(ExportFixture.id)

        let openclip = fixture.directory.path("train.csv")
        var result = try fixture.export(["--format", "openclip", "--out", openclip.path])
        #expect(result.status == 0, "\(result)")
        let rows = try PythonReader.read(PythonReader.csvRows, [openclip.path], as: [[String]].self)
        #expect(rows.first == ["uid", "filepath", "title"] + Self.styles)
        #expect(
            bytes(rows.dropFirst().map { [$0[0], $0[2]] }) == bytes(zip(ids, fixture.rows).map { [$0, $1.caption] }))

        let laclip = fixture.directory.path("out/train.csv")
        result = try fixture.export(["--format", "laclip", "--out", laclip.path])
        #expect(result.status == 0, "\(result)")
        struct Lines: Decodable { var lines: [String]; var readlines: Int; var splitlines: Int }
        let keys = try PythonReader.read(
            PythonReader.textLines, [fixture.directory.path("out/train.keys.txt").path], as: Lines.self)
        #expect(keys.lines == ids)
        let csv = try PythonReader.read(PythonReader.csvRows, [laclip.path], as: [[String]].self)
        #expect(csv.allSatisfy { $0.count == 2 }, "LaCLIP's CSV keeps its two columns")

        let jsonl = fixture.directory.path("rewrites.jsonl")
        result = try fixture.export(["--format", "jsonl", "--out", jsonl.path])
        #expect(result.status == 0, "\(result)")
        struct Keyed: Decodable { var key: String? }
        #expect(try PythonReader.read(PythonReader.jsonLines, [jsonl.path], as: [Keyed].self).map(\.key) == ids)
    }

    struct JSONLRow: Decodable {
        struct Meta: Decodable, Equatable {
            var model: String; var seed: Int64; var prompt_tokens: Int; var completion_tokens: Int
        }
        var row: Int
        var caption_id: Int64
        var source_id: Int
        var source_row: Int
        var source_line: Int
        var image: String?
        var original: String
        var rewrites: [String: String]
        var metadata: [String: Meta?]
        var filled_with_original: [String]
        var duplicate_of: Int64?
    }

    @Test func jsonlCarriesOriginalRewritesAndMetadata() throws {
        let fixture = try readyFixture()
        let out = fixture.directory.path("rewrites.jsonl")
        let result = try fixture.export(["--format", "jsonl", "--out", out.path])
        #expect(result.status == 0, "\(result)")
        let rows = try PythonReader.read(PythonReader.jsonLines, [out.path], as: [JSONLRow].self)
        #expect(rows.count == fixture.rows.count)
        for (i, row) in rows.enumerated() {
            #expect(row.row == i)
            #expect(row.caption_id == Int64(i))
            #expect(row.source_row == i)
            #expect(Array(row.original.utf8) == Array(fixture.rows[i].caption.utf8))
            #expect(row.image == fixture.rows[i].image)
            #expect(row.filled_with_original.isEmpty)
            #expect(row.duplicate_of == nil)
            for (style, name) in Self.styles.enumerated() {
                #expect(
                    row.rewrites[name].map { Array($0.utf8) }
                        == Array(ExportFixture.rewrite(caption: Int64(i), style: style).utf8))
                #expect(
                    row.metadata[name]
                        == .some(
                            JSONLRow.Meta(
                                model: "model-\(style)", seed: Int64(i) * 10 + Int64(style),
                                prompt_tokens: 100 + i, completion_tokens: 20 + style)))
            }
        }
    }

    @Test func dedupedCaptionsAreFannedOutToEveryRow() throws {
        // Shards of 2: the repeats of "dog" sit in later shards than its first occurrence.
        let captions = [
            "dog on a beach", "red car", "dog on a beach", "blue sky", "cat", "dog on a beach", "red car", "owl",
        ]
        let fixture = try ExportFixture(captions: captions, styles: Self.styles, shardSize: 2, dedup: true)
        try fixture.complete()
        let out = fixture.directory.path("d.jsonl")
        let result = try fixture.export(["--format", "jsonl", "--out", out.path])
        #expect(result.status == 0, "\(result)")
        let rows = try PythonReader.read(PythonReader.jsonLines, [out.path], as: [JSONLRow].self)
        #expect(rows.map(\.original) == captions)
        let first = ["dog on a beach": Int64(0), "red car": 1]
        for row in rows {
            let canonical = first[row.original].flatMap { $0 == row.caption_id ? nil : $0 }
            #expect(row.duplicate_of == canonical)
            let owner = canonical ?? row.caption_id
            for (style, name) in Self.styles.enumerated() {
                #expect(row.rewrites[name] == ExportFixture.rewrite(caption: owner, style: style))
            }
        }
        // The LaCLIP files fan out the same way, line for line.
        let csv = fixture.directory.path("d.csv")
        #expect(try fixture.export(["--format", "laclip", "--out", csv.path]).status == 0)
        struct Lines: Decodable { var lines: [String] }
        let lines = try PythonReader.read(
            PythonReader.textLines, [fixture.directory.path("d_bard.txt").path], as: Lines.self)
        #expect(lines.lines == rows.map { Self.folded($0.rewrites["bard"]!) })
    }
}
