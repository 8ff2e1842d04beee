import Foundation
import Seeding
import Tar
import TestSupport
import Testing

/// Python's tarfile and the `webdataset` package are the oracles: they write shards and
/// archives in every format we must read, and read everything we write. Each test makes one
/// Python call that does all its work and prints JSON.
@Suite(
    "Python tarfile and webdataset interop",
    .enabled(if: PythonReference.isAvailable, "\(PythonReference.unavailableReason ?? "")"))
struct PythonInteropTests {
    typealias T = TarTestSupport

    struct PythonMember: Decodable {
        var name: String
        var type: String
        var size: Int64
        var data: String?
        var linkname: String
        var offset: Int64
        var offset_data: Int64
    }

    struct PythonSample: Decodable {
        var key: String
        var extensions: [String]
        var data: [String: String]
    }

    struct PythonReport: Decodable {
        var members: [String: [PythonMember]]
        var samples: [String: [PythonSample]]
    }

    /// Python helpers shared by the scripts: a tarfile listing and webdataset's own iteration.
    static let pythonPrelude = """
        import base64, io, json, os, random, sys, tarfile
        import webdataset as wds
        def b64(data): return base64.b64encode(data).decode()
        def listing(path):
            out = []
            with tarfile.open(path) as tar:
                for info in tar:
                    data = tar.extractfile(info).read() if info.isreg() else None
                    kind = "file" if info.isreg() else "dir" if info.isdir() else "symlink" if info.issym() else "other"
                    out.append(dict(name=info.name, type=kind, size=info.size, data=None if data is None else b64(data),
                                    linkname=info.linkname, offset=info.offset, offset_data=info.offset_data))
            return out
        def samples(path):
            out = []
            for sample in wds.WebDataset("file:" + path, shardshuffle=False):
                exts = [k for k in sample if not k.startswith("__")]
                out.append(dict(key=sample["__key__"], extensions=exts, data={k: b64(sample[k]) for k in exts}))
            return out
        """

    static func report(_ script: String, _ arguments: [String]) throws -> PythonReport {
        let output = try PythonReference.run(pythonPrelude + "\n" + script, arguments)
        return try JSONDecoder().decode(PythonReport.self, from: Data(output.utf8))
    }

    func expectSameMembers(_ archive: URL, _ expected: [PythonMember]) throws {
        let entries = try T.entries(archive)
        let members = try T.readAll(archive)
        // Python's tarfile strips a directory's trailing slash; we keep names as written.
        #expect(
            members.map { $0.type == .directory && $0.name.hasSuffix("/") ? String($0.name.dropLast()) : $0.name }
                == expected.map(\.name))
        for (member, (entry, reference)) in zip(members, zip(entries, expected)) {
            #expect(entry.dataOffset == reference.offset_data, "data offset of \(member.name)")
            #expect(entry.headerOffset == reference.offset, "header offset of \(member.name)")
            let type: String =
                switch member.type {
                case .regularFile: "file"
                case .directory: "dir"
                case .symbolicLink: "symlink"
                default: "other"
                }
            #expect(type == reference.type, "type of \(member.name)")
            #expect(member.linkName == reference.linkname)
            if let data = reference.data {
                #expect(member.size == reference.size, "size of \(member.name)")
                #expect(member.data == [UInt8](Data(base64Encoded: data) ?? Data()), "data of \(member.name)")
            }
        }
    }

    func expectSameSamples(_ archive: URL, _ expected: [PythonSample]) throws {
        let reader = try TarReader(path: archive.path, displayName: archive.lastPathComponent)
        let grouper = WebDatasetSampleReader(reader: reader)
        var samples: [WebDatasetSample] = []
        while let sample = try grouper.next() { samples.append(sample) }
        #expect(samples.map(\.key) == expected.map(\.key))
        for (sample, reference) in zip(samples, expected) {
            #expect(sample.members.map(\.fileExtension) == reference.extensions, "extensions of \(sample.key)")
            for member in sample.members {
                let data = try reader.readData(member.entry, limit: 1 << 24)
                #expect(data == [UInt8](Data(base64Encoded: reference.data[member.fileExtension] ?? "") ?? Data()))
            }
        }
    }

    @Test("webdataset.TarWriter shards: members match tarfile, samples match webdataset's iteration")
    func webdatasetShard() throws {
        let dir = try TemporaryDirectory()
        let shard = dir.path("00000.tar")
        let report = try Self.report(
            """
            random.seed(1)
            path = sys.argv[1]
            with wds.TarWriter(path) as sink:
                for index in range(40):
                    size = random.choice([0, 1, 511, 512, 513, 4096, random.randrange(20000)])
                    sample = {"__key__": "%09d" % index, "jpg": random.randbytes(size),
                              "txt": ("caption %d é 猫" % index).encode(), "json": json.dumps({"i": index}).encode()}
                    if index % 7 == 3: sample["__key__"] = "sub/dir/%09d" % index
                    if index % 11 == 5: sample["tar.gz"] = b"nested ext"
                    sink.write(sample)
            print(json.dumps(dict(members={"shard": listing(path)}, samples={"shard": samples(path)})))
            """, [shard.path])
        try expectSameMembers(shard, report.members["shard"] ?? [])
        try expectSameSamples(shard, report.samples["shard"] ?? [])
        #expect(report.samples["shard"]?.count == 40)
    }

    @Test("python tarfile PAX, GNU and USTAR archives: long, UTF-8 names, dirs, links, big members")
    func pythonFormats() throws {
        let dir = try TemporaryDirectory()
        let report = try Self.report(
            """
            random.seed(2)
            def add(tar, name, data=None, kind=tarfile.REGTYPE, link=""):
                info = tarfile.TarInfo(name); info.type = kind; info.linkname = link; info.mtime = 1700000000
                if data is not None: info.size = len(data)
                tar.addfile(info, io.BytesIO(data) if data is not None else None)
            members = {}
            for fmt, label in [(tarfile.PAX_FORMAT, "pax"), (tarfile.GNU_FORMAT, "gnu"), (tarfile.USTAR_FORMAT, "ustar")]:
                path = os.path.join(sys.argv[1], label + ".tar")
                with tarfile.open(path, "w", format=fmt) as tar:
                    add(tar, "dir", kind=tarfile.DIRTYPE)
                    add(tar, "dir/000001.jpg", random.randbytes(70000))
                    add(tar, "dir/000001.txt", b"caption")
                    add(tar, "p" * 120 + "/" + "n" * 90 + ".txt", b"split or long")
                    add(tar, "link.jpg", kind=tarfile.SYMTYPE, link="dir/000001.jpg")
                    if label != "ustar":
                        add(tar, "l" * 130 + "/" + "m" * 140 + "/" + "z" * 60 + ".json", b"{}")
                        add(tar, "café/猫🙂.txt", "ü".encode())
                        add(tar, "hard.txt", kind=tarfile.LNKTYPE, link="l" * 120 + "/target")
                members[label] = listing(path)
            print(json.dumps(dict(members=members, samples={})))
            """, [dir.url.path])
        for label in ["pax", "gnu", "ustar"] {
            let expected = try #require(report.members[label])
            try expectSameMembers(dir.path("\(label).tar"), expected)
        }
        #expect(report.members["pax"]?.count == 8)
    }

    @Test("TarWriter output reads identically in tarfile and webdataset, raw-copied records included")
    func ourArchivesInPython() throws {
        let dir = try TemporaryDirectory()
        var generator = SeededGenerator(seed: 9)
        let source = dir.path("source.tar")
        _ = try PythonReference.run(
            Self.pythonPrelude + """
                random.seed(3)
                with wds.TarWriter(sys.argv[1]) as sink:
                    for index in range(10):
                        sink.write({"__key__": "%06d" % index, "jpg": random.randbytes(random.randrange(9000)), "txt": b"copied"})
                """, [source.path])

        let output = dir.path("00000.tar")
        let writer = try TarWriter(path: output.path, syncOnFinish: false)
        var expectedNames: [String] = []
        for index in 0..<5 {
            let key =
                index == 3 ? String(repeating: "k", count: 140) + "/\u{732b}\(index)" : String(format: "new%06d", index)
            try writer.append(name: key + ".jpg", data: T.randomBytes(index * 700, &generator))
            try writer.append(name: key + ".txt", data: Array("caption \(index) \u{e9}".utf8))
            try writer.append(name: key + ".json", data: Array("{\"index\": \(index)}".utf8))
            expectedNames += [key + ".jpg", key + ".txt", key + ".json"]
        }
        let reader = try TarReader(path: source.path, displayName: "source.tar")
        while let entry = try reader.next() {
            try writer.appendRaw(from: reader, entry: entry)
            expectedNames.append(entry.name)
        }
        try writer.finish()

        let report = try Self.report(
            """
            print(json.dumps(dict(members={"out": listing(sys.argv[1])}, samples={"out": samples(sys.argv[1])})))
            """, [output.path])
        let members = try #require(report.members["out"])
        #expect(members.map(\.name) == expectedNames)
        try expectSameMembers(output, members)
        try expectSameSamples(output, report.samples["out"] ?? [])
        #expect(report.samples["out"]?.count == 15)
    }

    @Test("WebDatasetKey splits names exactly as webdataset's base_plus_ext and skip rules do")
    func keySplitMatchesWebdataset() throws {
        let names = [
            "000001.jpg", "000001.JPG", "a/b/000001.seg.png", "dir.with.dots/file.txt", "dir.x/noext", "noext",
            ".hidden", "a/.hidden", "x.y/a/.hidden", "a.", "a..b", "trailing/", "a/b.", "./rel.txt", "../up.txt",
            "/abs/k.txt", "sp ace/k e y.t x t", "caf\u{e9}/\u{732b}.json", "line\nbreak/k.txt", "k.txt\n",
            "a/b\n/c.d", "__key__", "__key__.txt", "__meta__/x.txt", "___", "__a/__b__", "x/__key__", "__x__\n", "",
        ]
        let script = """
            import json, re, sys
            from webdataset.tariterators import base_plus_ext, meta_prefix, meta_suffix
            skip_meta = r"__[^/]*__($|/)"
            out = []
            for name in json.loads(sys.stdin.read()):
                key, ext = base_plus_ext(name)
                skipped = ("/" not in name and name.startswith(meta_prefix) and name.endswith(meta_suffix)) or re.match(skip_meta, name) is not None
                out.append(dict(key=key, ext=ext, skipped=skipped))
            print(json.dumps(out))
            """
        struct Split: Decodable { var key: String?; var ext: String?; var skipped: Bool }
        let input = String(decoding: try JSONEncoder().encode(names), as: UTF8.self)
        let output = try PythonReference.run(script, [], stdin: input)
        let expected = try JSONDecoder().decode([Split].self, from: Data(output.utf8))
        for (name, reference) in zip(names, expected) {
            let split = WebDatasetKey(memberName: name)
            #expect(split?.key == reference.key, "key of \(name.debugDescription)")
            #expect(split?.fileExtension == reference.ext, "extension of \(name.debugDescription)")
            #expect(WebDatasetKey.isSkippedMetadata(name) == reference.skipped, "skip of \(name.debugDescription)")
        }
        #expect(expected.count == names.count)
    }
}
