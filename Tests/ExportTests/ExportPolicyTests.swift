import Foundation
import TestSupport
import Testing

/// Missing rewrites, refusal to overwrite, atomic replacement.
@Suite struct ExportPolicyTests {
    static let captions = ["one cat", "two dogs", "three birds", "four fish", "five owls"]

    /// Caption 1 lacks its bard rewrite, caption 3 both.
    func partialFixture() throws -> ExportFixture {
        let fixture = try ExportFixture(captions: Self.captions, styles: ["chatgpt", "bard"], shardSize: 2)
        try fixture.complete { caption, style in !(caption == 1 && style == 1) && caption != 3 }
        return fixture
    }

    @Test func refusesByDefaultNamingTheMissingCount() throws {
        let fixture = try partialFixture()
        let out = fixture.directory.path("x.csv")
        let result = try fixture.export(["--format", "laclip", "--out", out.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("3 of 10 rewrites are not done"), "\(result)")
        #expect(result.stderr.contains("laclip status"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: fixture.directory.url.path).sorted() == [
                "captions.csv", "job",
            ])
    }

    @Test func originalFillsTheGapsWithTheCaption() throws {
        let fixture = try partialFixture()
        let out = fixture.directory.path("x.csv")
        let result = try fixture.export(["--format", "openclip", "--out", out.path, "--missing", "original"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("3 missing rewrites replaced by the original caption"))
        let rows = try PythonReader.read(PythonReader.csvRows, [out.path], as: [[String]].self)
        #expect(rows.count == 6)
        #expect(rows[2] == ["images/1.jpg", "two dogs", ExportFixture.rewrite(caption: 1, style: 0), "two dogs"])
        #expect(rows[4] == ["images/3.jpg", "four fish", "four fish", "four fish"])
        #expect(rows[5][2] == ExportFixture.rewrite(caption: 4, style: 0))
    }

    @Test func skipDropsTheRowFromEveryFile() throws {
        let fixture = try partialFixture()
        let out = fixture.directory.path("x.csv")
        let result = try fixture.export(["--format", "laclip", "--out", out.path, "--missing", "skip"])
        #expect(result.status == 0, "\(result)")
        let rows = try PythonReader.read(PythonReader.csvRows, [out.path], as: [[String]].self)
        #expect(rows.map { $0[1] } == ["one cat", "three birds", "five owls"])
        struct Lines: Decodable { var lines: [String] }
        for (style, name) in ["chatgpt", "bard"].enumerated() {
            let lines = try PythonReader.read(
                PythonReader.textLines, [fixture.directory.path("x_\(name).txt").path], as: Lines.self)
            #expect(
                lines.lines
                    == [0, 2, 4].map {
                        ExportFormatTests.folded(ExportFixture.rewrite(caption: Int64($0), style: style))
                    })
        }
    }

    @Test func neverOverwritesWithoutForce() throws {
        let fixture = try ExportFixture(captions: Self.captions, shardSize: 2)
        try fixture.complete()
        let out = fixture.directory.path("x.csv")
        // Only one of the three files exists: still refused, and nothing else is created.
        try fixture.directory.write("x_bard.txt", "keep me\n")
        let refused = try fixture.export(["--format", "laclip", "--out", out.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("x_bard.txt already exists; pass --force"), "\(refused)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        #expect(try String(contentsOf: fixture.directory.path("x_bard.txt"), encoding: .utf8) == "keep me\n")

        let forced = try fixture.export(["--format", "laclip", "--out", out.path, "--force"])
        #expect(forced.status == 0, "\(forced)")
        let lines = try String(contentsOf: fixture.directory.path("x_bard.txt"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == Self.captions.count)
        let names = try FileManager.default.contentsOfDirectory(atPath: fixture.directory.url.path)
        #expect(!names.contains { $0.hasPrefix(".") }, "no temporary file is left: \(names)")
    }

    @Test func aFailedExportLeavesNothing() throws {
        let fixture = try ExportFixture(captions: Self.captions, shardSize: 2)
        try fixture.complete()
        // A shard that cannot be read fails the export mid-way, after files were started.
        let shard = fixture.job.appendingPathComponent("shard-0002.sqlite")
        try Data("not a database".utf8).write(to: shard)
        let result = try fixture.export(["--format", "jsonl", "--out", fixture.directory.path("out/x.jsonl").path])
        #expect(result.status != 0)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: fixture.directory.path("out").path)) ?? []
        #expect(left.isEmpty, "\(left)")
    }
}
