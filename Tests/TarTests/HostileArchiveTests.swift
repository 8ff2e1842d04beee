import Foundation
import Seeding
import Tar
import TestSupport
import Testing

/// Hand-made archives that are broken or malicious: each must fail with the right kind, at
/// the right offset, without large allocations — or, for hostile names, read normally and be
/// flagged unsafe.
@Suite("Hostile and broken archives")
struct HostileArchiveTests {
    typealias T = TarTestSupport

    func member(_ name: String, _ data: [UInt8]) -> [UInt8] {
        T.header(name: name, size: T.octalSize(Int64(data.count))) + T.padded(data)
    }

    @Test("EOF right after a member, without end blocks, is a clean end")
    func eofAfterMember() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("a.tar", bytes: member("a.txt", Array("hello".utf8)) + member("b.txt", []))
        let members = try T.readAll(file)
        #expect(members.map(\.name) == ["a.txt", "b.txt"])
        #expect(members.first?.data == Array("hello".utf8))
    }

    @Test("an empty file is an empty archive")
    func emptyFile() throws {
        let dir = try TemporaryDirectory()
        #expect(try T.readAll(dir.write("e.tar", bytes: [])).isEmpty)
    }

    @Test("a file that ends inside a header is .truncatedHeader at that header's offset")
    func truncatedHeader() throws {
        let dir = try TemporaryDirectory()
        let first = member("a.txt", Array("hello".utf8))
        let second = member("b.txt", Array("world".utf8))
        let file = try dir.write("t.tar", bytes: first + second.prefix(300))
        let error = try #require(T.readingError(file))
        #expect(error.kind == .truncatedHeader)
        #expect(error.offset == 1024)
    }

    @Test("a file that ends after a pax header, before its member, is .truncatedHeader")
    func truncatedAfterPax() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("t.tar", bytes: T.paxHeader([("path", "long/name.txt")]))
        #expect(T.readingError(file)?.kind == .truncatedHeader)
    }

    @Test("a file that ends inside a member's data or padding is .truncatedMember")
    func truncatedMember() throws {
        let dir = try TemporaryDirectory()
        var generator = SeededGenerator(seed: 7)
        let image = T.randomBytes(5000, &generator)
        // Earlier members make the file larger than the cut member, as in any real shard;
        // a member larger than the whole file would be .sizePastEnd instead.
        let earlier = (0..<8).flatMap { member("\($0).jpg", T.randomBytes(1000, &generator)) }
        let whole = earlier + member("k.txt", Array("cap".utf8)) + member("k.jpg", image)
        let cut = earlier.count + 1024
        let insideData = try dir.write("d.tar", bytes: Array(whole.prefix(cut + 512 + 2000)))
        let error = try #require(T.readingError(insideData, displayName: "shards/00001.tar"))
        #expect(error.kind == .truncatedMember)
        #expect(error.offset == Int64(cut))
        #expect(error.member == "k.jpg")
        #expect(error.description.hasPrefix("shards/00001.tar: offset \(cut): member k.jpg: "))
        let insidePadding = try dir.write("p.tar", bytes: Array(whole.prefix(cut + 512 + 5000 + 10)))
        #expect(T.readingError(insidePadding)?.kind == .truncatedMember)
    }

    @Test("a corrupted header is .badChecksum; a signed-sum checksum is accepted")
    func checksums() throws {
        let dir = try TemporaryDirectory()
        var corrupted = member("a.txt", Array("hello".utf8))
        corrupted[3] ^= 0x20
        let error = try #require(T.readingError(try dir.write("c.tar", bytes: corrupted)))
        #expect(error.kind == .badChecksum)
        #expect(error.offset == 0)

        // High bytes in the name make the signed and unsigned sums differ.
        let signed = T.header(name: "caf\u{e9}.txt", size: T.octalSize(2), signedChecksum: true) + T.padded([1, 2])
        let members = try T.readAll(try dir.write("s.tar", bytes: signed))
        #expect(members.map(\.name) == ["caf\u{e9}.txt"])
        #expect(members.first?.data == [1, 2])

        let garbage = T.header(name: "a", size: T.octalSize(0), checksum: "zzzzzz\u{0} ")
        #expect(T.readingError(try dir.write("g.tar", bytes: garbage))?.kind == .badChecksum)
    }

    @Test("a 10 GB declared size in a 1 KB file is .sizePastEnd with a message that says so")
    func hugeDeclaredSize() throws {
        let dir = try TemporaryDirectory()
        let tenGB: Int64 = 10 * 1024 * 1024 * 1024
        let bytes = T.header(name: "000031.jpg", size: T.octalSize(tenGB)) + [UInt8](repeating: 7, count: 512)
        let file = try dir.write("big.tar", bytes: bytes)
        let reader = try TarReader(path: file.path, displayName: "shards/00003.tar")
        let error = try #require(throws: TarError.self) { try reader.next() }
        #expect(error.kind == .sizePastEnd)
        #expect(
            error.description
                == "shards/00003.tar: offset 0: member 000031.jpg: declared size 10737418240 goes past the end of the file (1024 bytes)"
        )
    }

    @Test("GNU base-256 sizes are read; a base-256 size past the end is .sizePastEnd")
    func base256Size() throws {
        let dir = try TemporaryDirectory()
        let small = [0x80] + [UInt8](repeating: 0, count: 10) + [3]
        let file = try dir.write("b.tar", bytes: T.header(name: "a.bin", size: small) + T.padded([9, 8, 7]))
        #expect(try T.readAll(file).first?.data == [9, 8, 7])
        let huge: [UInt8] = [0x80, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0]
        let hugeFile = try dir.write(
            "h.tar", bytes: T.header(name: "a.bin", size: huge) + [UInt8](repeating: 0, count: 512))
        #expect(T.readingError(hugeFile)?.kind == .sizePastEnd)
        let overflowing: [UInt8] = [0x80, 0, 0, 0x10] + [UInt8](repeating: 0, count: 8)
        let overflowingFile = try dir.write("o.tar", bytes: T.header(name: "a.bin", size: overflowing) + T.endBlocks)
        #expect(T.readingError(overflowingFile)?.kind == .badHeader)
        let negative = [UInt8](repeating: 0xFF, count: 12)
        let negativeFile = try dir.write("n.tar", bytes: T.header(name: "a.bin", size: negative) + T.endBlocks)
        #expect(T.readingError(negativeFile)?.kind == .badHeader)
    }

    @Test("an unparsable size field is .badHeader")
    func garbageSizeField() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("g.tar", bytes: T.header(name: "a.bin", size: Array("12x4\u{0}".utf8)) + T.endBlocks)
        let error = try #require(T.readingError(file))
        #expect(error.kind == .badHeader)
        #expect(error.member == "a.bin")
    }

    @Test(
        "pax headers with a bogus size, a huge size or a malformed record are refused",
        arguments: [
            ([("size", "12abc")], TarError.Kind.badHeader),
            ([("size", "-5")], .badHeader),
            ([("size", "10737418240")], .sizePastEnd),
            ([("size", "99999999999999999999999")], .badHeader),
            ([("mtime", "soon")], .badHeader),
        ])
    func bogusPaxSize(records: [(String, String)], kind: TarError.Kind) throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("p.tar", bytes: T.paxHeader(records) + member("a.txt", Array("hi".utf8)) + T.endBlocks)
        #expect(T.readingError(file)?.kind == kind)
    }

    @Test("a pax record whose length is wrong is .badHeader")
    func malformedPaxRecord() throws {
        let dir = try TemporaryDirectory()
        let data = Array("99 path=x\n".utf8)
        let pax = T.header(name: "PaxHeaders/x", typeFlag: "x", size: T.octalSize(Int64(data.count))) + T.padded(data)
        let file = try dir.write("p.tar", bytes: pax + member("a.txt", []) + T.endBlocks)
        #expect(T.readingError(file)?.kind == .badHeader)
    }

    @Test("a pax size that is large but fits the file overrides the header's size")
    func paxSizeOverride() throws {
        let dir = try TemporaryDirectory()
        let data = [UInt8](repeating: 5, count: 700)
        // The header itself says 0 bytes; only the pax record knows the real size.
        let bytes =
            T.paxHeader([("size", "700")]) + T.header(name: "a.bin", size: T.octalSize(0)) + T.padded(data)
            + T.endBlocks
        let members = try T.readAll(try dir.write("p.tar", bytes: bytes))
        #expect(members.map(\.size) == [700])
        #expect(members.first?.data == data)
    }

    @Test("a pax global header is skipped, counted in the next member's record, and raw copy reproduces it")
    func globalPaxHeader() throws {
        let dir = try TemporaryDirectory()
        let records = Array("30 comment=global header test\n".utf8)
        let global =
            T.header(name: "pax_global_header", typeFlag: "g", size: T.octalSize(Int64(records.count)))
            + T.padded(records)
        let bytes = global + member("a.txt", [1]) + member("b.txt", [2]) + T.endBlocks
        let source = try dir.write("g.tar", bytes: bytes)
        let entries = try T.entries(source)
        #expect(entries.map(\.name) == ["a.txt", "b.txt"])
        #expect(entries.map(\.headerOffset) == [0, 2048])
        #expect(entries.map(\.dataOffset) == [1536, 2560])
        let copy = dir.path("copy.tar")
        let reader = try TarReader(path: source.path, displayName: "g.tar")
        let writer = try TarWriter(path: copy.path, syncOnFinish: false)
        while let entry = try reader.next() { try writer.appendRaw(from: reader, entry: entry) }
        try writer.finish()
        #expect(try T.bytes(copy) == bytes)
    }

    @Test("members named ../../etc/x and /abs/path are yielded but not safe")
    func hostileNames() throws {
        let dir = try TemporaryDirectory()
        let bytes =
            member("../../etc/x", [1]) + member("/abs/path", [2]) + member("ok/0001.jpg", [3])
            + T.paxHeader([("path", "a/../../b")]) + member("b", [4]) + T.endBlocks
        let entries = try T.entries(try dir.write("h.tar", bytes: bytes))
        #expect(entries.map(\.name) == ["../../etc/x", "/abs/path", "ok/0001.jpg", "a/../../b"])
        #expect(entries.map(\.isSafeRelativeName) == [false, false, true, false])
    }

    @Test(
        "member name safety",
        arguments: [
            ("0001.jpg", true), ("dir/0001.jpg", true), ("./dir/x", true), ("dir/", true), ("a..b/c", true),
            ("", false), ("/etc/passwd", false), ("..", false), ("../x", false), ("a/../b", false), ("a/..", false),
            ("a\u{0}b", false), (".", false), ("./", false), ("//x", false),
        ])
    func nameSafety(name: String, safe: Bool) {
        #expect(TarMemberName.isSafeRelativePath(name) == safe)
    }

    @Test("old v7 headers (no magic) are read, and a trailing slash means a directory")
    func v7Headers() throws {
        let dir = try TemporaryDirectory()
        let bytes =
            T.header(name: "d/", typeFlag: "\u{0}", size: T.octalSize(0), magic: "")
            + T.header(name: "d/f.txt", typeFlag: "\u{0}", size: T.octalSize(3), magic: "", prefix: "ignored")
            + T.padded([1, 2, 3])
            + T.endBlocks
        let members = try T.readAll(try dir.write("v7.tar", bytes: bytes))
        #expect(members.map(\.name) == ["d/", "d/f.txt"])
        #expect(members.map(\.type) == [.directory, .regularFile])
        #expect(members.last?.data == [1, 2, 3])
    }

    @Test("the ustar prefix field is joined to the name")
    func ustarPrefix() throws {
        let dir = try TemporaryDirectory()
        let bytes = T.header(name: "0001.jpg", size: T.octalSize(1), prefix: "some/dir") + T.padded([1]) + T.endBlocks
        #expect(try T.readAll(try dir.write("u.tar", bytes: bytes)).map(\.name) == ["some/dir/0001.jpg"])
    }

    @Test("readData refuses members over its limit without reading them")
    func readLimit() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("l.tar", bytes: member("a.bin", [UInt8](repeating: 1, count: 2000)) + T.endBlocks)
        let reader = try TarReader(path: file.path, displayName: "l.tar")
        let entry = try #require(try reader.next())
        let error = try #require(throws: TarError.self) { try reader.readData(entry, limit: 1000) }
        #expect(error.kind == .memberTooLarge)
        #expect(try reader.readData(entry, limit: 2000).count == 2000)
    }

    @Test("a lone extended header at a zero block, and a huge GNU long name, are refused")
    func extendedHeaderEdgeCases() throws {
        let dir = try TemporaryDirectory()
        let dangling = try dir.write("z.tar", bytes: T.paxHeader([("path", "x")]) + T.endBlocks)
        #expect(T.readingError(dangling)?.kind == .badHeader)
        let longName = T.header(
            name: "././@LongLink", typeFlag: "L", size: T.octalSize(Int64(TarReader.extendedHeaderLimit + 1)))
        let longFile = try dir.write(
            "l.tar", bytes: longName + [UInt8](repeating: 0, count: TarReader.extendedHeaderLimit + 2048))
        #expect(T.readingError(longFile)?.kind == .badHeader)
    }
}
