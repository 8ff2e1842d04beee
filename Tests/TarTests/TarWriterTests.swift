import Foundation
import Seeding
import Tar
import TestSupport
import Testing

@Suite("TarWriter")
struct TarWriterTests {
    typealias T = TarTestSupport

    @Test("members round-trip through TarReader; offsets are whole blocks")
    func roundTrip() throws {
        let dir = try TemporaryDirectory()
        var generator = SeededGenerator(seed: 3)
        let files: [(String, [UInt8])] = [
            ("0001.jpg", T.randomBytes(1536, &generator)),
            ("0001.txt", Array("a caption".utf8)),
            ("0001.json", []),
            (String(repeating: "x/", count: 70) + "deep.txt", [1]),
            ("\u{1F642}.txt", [2]),
        ]
        let archive = dir.path("w.tar")
        let writer = try TarWriter(path: archive.path, syncOnFinish: true)
        for (name, data) in files { try writer.append(name: name, data: data, mode: 0o600, mtime: 1234) }
        try writer.finish()
        let entries = try T.entries(archive)
        #expect(entries.map(\.name) == files.map(\.0))
        #expect(
            entries.allSatisfy {
                $0.mode == 0o600 && $0.mtime == 1234 && $0.headerOffset % 512 == 0 && $0.recordEnd % 512 == 0
            })
        #expect(try T.readAll(archive).map(\.data) == files.map(\.1))
        #expect(try T.bytes(archive).count % 512 == 0)
    }

    @Test("a name that fits ustar gets no pax header; one that doesn't, or isn't ASCII, gets one")
    func paxOnlyWhenNeeded() throws {
        let dir = try TemporaryDirectory()
        let split = String(repeating: "p", count: 150) + "/" + String(repeating: "n", count: 100)
        let cases: [(String, Bool)] = [
            (String(repeating: "a", count: 100), false), (split, false),
            (String(repeating: "a", count: 101), true), ("caf\u{e9}.txt", true), (split + "x", true),
        ]
        for (name, needsPax) in cases {
            let archive = dir.path("n.tar")
            let writer = try TarWriter(path: archive.path, syncOnFinish: false)
            try writer.append(name: name, data: [7])
            try writer.finish()
            let entry = try #require(try T.entries(archive).first)
            #expect(entry.name == name)
            #expect(entry.dataOffset - entry.headerOffset == (needsPax ? 3 * 512 : 512), "\(name)")
        }
    }

    @Test("negative and far-future mtimes survive through pax")
    func mtimeOutOfRange() throws {
        let dir = try TemporaryDirectory()
        let archive = dir.path("m.tar")
        let writer = try TarWriter(path: archive.path, syncOnFinish: false)
        try writer.append(name: "old.txt", data: [], mtime: -86400)
        try writer.append(name: "far.txt", data: [], mtime: 1 << 40)
        try writer.finish()
        #expect(try T.entries(archive).map(\.mtime) == [-86400, 1 << 40])
    }

    @Test(
        "raw-copied records are byte-identical to the input's, with every copy method",
        arguments: [TarRawCopyMethod.automatic, .buffered])
    func rawCopy(method: TarRawCopyMethod) throws {
        let dir = try TemporaryDirectory()
        var generator = SeededGenerator(seed: 5)
        let source = dir.path("in.tar")
        let input = try TarWriter(path: source.path, syncOnFinish: false)
        for index in 0..<20 {
            try input.append(
                name: String(format: "%06d.jpg", index),
                data: T.randomBytes(Int.random(in: 0...100_000, using: &generator), &generator))
            try input.append(
                name: String(repeating: "long", count: 30) + "/\(index).txt", data: Array("caption \(index)".utf8))
        }
        try input.finish()

        let output = dir.path("out.tar")
        let writer = try TarWriter(path: output.path, syncOnFinish: false, copyMethod: method)
        let reader = try TarReader(path: source.path, displayName: "in.tar")
        var copied: [(TarEntry, Int64)] = []
        var expectedNames = ["first.txt"]
        try writer.append(name: "first.txt", data: Array("new".utf8))
        var index = 0
        while let entry = try reader.next() {
            // New members between runs of adjacent raw copies, which the writer merges.
            if index % 5 == 2 {
                try writer.append(name: "between\(index).txt", data: Array("between".utf8))
                expectedNames.append("between\(index).txt")
            }
            let at = writer.bytesWritten
            if index % 7 == 3 {
                try writer.copyRecord(fromPath: source.path, range: entry.headerOffset..<entry.recordEnd)
            } else {
                try writer.appendRaw(from: reader, entry: entry)
            }
            copied.append((entry, at))
            expectedNames.append(entry.name)
            index += 1
        }
        try writer.finish()

        let sourceBytes = try T.bytes(source)
        let outputBytes = try T.bytes(output)
        for (entry, at) in copied {
            let length = Int(entry.recordEnd - entry.headerOffset)
            #expect(
                outputBytes[Int(at)..<Int(at) + length] == sourceBytes[Int(entry.headerOffset)..<Int(entry.recordEnd)],
                "\(entry.name)")
        }
        let reread = try T.readAll(output)
        #expect(reread.map(\.name) == expectedNames)
        #expect(
            reread.filter { !$0.name.hasPrefix("between") && $0.name != "first.txt" }.map(\.data)
                == (try T.readAll(source)).map(\.data))
    }

    @Test("copyRecord refuses ranges that are not whole blocks inside the file")
    func copyRecordRange() throws {
        let dir = try TemporaryDirectory()
        let source = try dir.write("s.tar", bytes: [UInt8](repeating: 0, count: 2048))
        let writer = try TarWriter(path: dir.path("o.tar").path, syncOnFinish: false)
        for range: Range<Int64> in [0..<100, 512..<4096, 1..<513] {
            #expect(throws: TarError.self) { try writer.copyRecord(fromPath: source.path, range: range) }
        }
        try writer.copyRecord(fromPath: source.path, range: 512..<1536)
        #expect(writer.bytesWritten == 1024)
    }

    @Test("bad names and use after finish are errors")
    func misuse() throws {
        let dir = try TemporaryDirectory()
        let writer = try TarWriter(path: dir.path("o.tar").path, syncOnFinish: false)
        #expect { try writer.append(name: "", data: []) } throws: { ($0 as? TarError)?.kind == .invalidName }
        #expect { try writer.append(name: "a\u{0}b", data: []) } throws: { ($0 as? TarError)?.kind == .invalidName }
        try writer.finish()
        #expect { try writer.append(name: "a", data: []) } throws: { ($0 as? TarError)?.kind == .writerFinished }
        #expect { try writer.finish() } throws: { ($0 as? TarError)?.kind == .writerFinished }
    }
}
