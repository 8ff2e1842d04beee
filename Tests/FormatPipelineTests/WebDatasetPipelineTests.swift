import Foundation
import RewriteQueue
import Seeding
import TestSupport
import Testing

/// `laclip enqueue` of WebDataset tar shards and `laclip export --format webdataset`, with the
/// `webdataset` package, GNU tar and Python's tarfile as the oracles.
@Suite(
    "WebDataset in and out", .serialized,
    .enabled(if: PythonReference.isAvailable, "\(PythonReference.unavailableReason ?? "")"))
struct WebDatasetPipelineTests {
    /// img2dataset-shaped shards by webdataset's TarWriter, and one by GNU tar with long and
    /// UTF-8 names; prints what `webdataset` itself reads from each.
    static let writeShards = #"""
        import base64, hashlib, json, os, random, subprocess, sys
        import webdataset as wds
        out = sys.argv[1]
        count = int(sys.argv[2]); per_shard = int(sys.argv[3]); image_bytes = int(sys.argv[4])
        rng = random.Random(7)
        os.makedirs(os.path.join(out, "shards"), exist_ok=True)
        index = 0
        for shard in range(count):
            with wds.TarWriter(os.path.join(out, "shards", f"{shard:05d}.tar")) as sink:
                for i in range(per_shard):
                    key = f"{shard:05d}{i:04d}"
                    caption = f"sample {index}: a \"red\" bicycle, ünïcode 🚲 " + "word " * (index % 7)
                    if index % 11 == 0: caption = "  spaced caption \t with tab  "
                    sink.write({"__key__": key, "jpg": rng.randbytes(image_bytes), "txt": caption,
                                "json": {"url": f"https://x/{index}.jpg", "caption": caption, "key": key, "status": "success"}})
                    index += 1
        # GNU tar: long names (> 100 bytes) and UTF-8 names, samples in a sub-folder.
        gnu = os.path.join(out, "gnu")
        folder = os.path.join(gnu, "d" * 60, "e" * 50)
        os.makedirs(folder)
        names = ["ü-ñ-日本-sample", "x" * 120, "plain"]
        for n, name in enumerate(names):
            open(os.path.join(folder, name + ".txt"), "w", encoding="utf-8").write(f"gnu caption {n} — {name[:10]}")
            open(os.path.join(folder, name + ".jpg"), "wb").write(rng.randbytes(300))
        subprocess.run(["tar", "--format=gnu", "--sort=name", "-C", gnu, "-cf", os.path.join(out, "shards", "gnu.tar"), "."], check=True)
        report = {}
        for name in sorted(os.listdir(os.path.join(out, "shards"))):
            path = os.path.join(out, "shards", name)
            samples = []
            for s in wds.WebDataset(path, shardshuffle=False):
                samples.append({"key": s["__key__"], "txt": base64.b64encode(s["txt"]).decode(),
                                "jpg": hashlib.sha256(s["jpg"]).hexdigest()})
            report[name] = samples
        print(json.dumps(report))
        """#

    struct Sample: Decodable { var key: String; var txt: String; var jpg: String }

    static func makeShards(_ dir: TemporaryDirectory, count: Int = 3, perShard: Int = 40, imageBytes: Int = 2000) throws
        -> [String: [Sample]]
    {
        let output = try PythonReference.run(
            Self.writeShards, [dir.url.path, String(count), String(perShard), String(imageBytes)])
        return try JSONDecoder().decode([String: [Sample]].self, from: Data(output.utf8))
    }

    @Test func shardsFromWebDatasetAndGNUTarEnqueueByteExactWithWebDatasetsKeys() throws {
        let dir = try TemporaryDirectory("laclip-wds-in")
        let shards = try Self.makeShards(dir)
        let job = dir.path("job")
        let output = try FormatJob.enqueue(
            [dir.path("shards").path + "/{00000..00002}.tar", dir.path("shards/gnu.tar").path], job: job)
        try #require(output.status == 0, "\(output)")
        #expect(output.stdout.contains("webdataset tar shard"), "\(output.stdout)")
        let stored = try FormatJob(job: job).captions()
        let expected = ["00000.tar", "00001.tar", "00002.tar", "gnu.tar"].flatMap { name in shards[name] ?? [] }
        #expect(stored.count == expected.count)
        #expect(expected.count == 123)
        for (got, want) in zip(stored, expected) {
            #expect(got.key == want.key)
            #expect(got.text == Array(Data(base64Encoded: want.txt) ?? Data()), "\(want.key)")
            #expect(got.image == want.key + ".jpg", "\(want.key)")
        }
        let sources = try Job(directory: job, readonly: true).manifest.sources()
        #expect(
            sources.map { URL(fileURLWithPath: $0.path).lastPathComponent } == [
                "00000.tar", "00001.tar", "00002.tar", "gnu.tar",
            ])

        // The caption from a .json field instead of the .txt.
        let fromJSON = try FormatJob.enqueue(
            [dir.path("shards/00000.tar").path, "--caption-key", "url"], job: dir.path("job-json"))
        try #require(fromJSON.status == 0, "\(fromJSON)")
        #expect(
            try FormatJob(job: dir.path("job-json")).captions().map { String(decoding: $0.text, as: UTF8.self) }
                == (0..<40).map { "https://x/\($0).jpg" })
    }

    /// Reads the export with `webdataset` (decoded) and tarfile; checks open_clip's weighted
    /// JSON-key rule (a random order of the keys drawn by weight, the first usable field
    /// wins) picks uniformly among the original and the rewrites.
    static let readExport = #"""
        import base64, hashlib, json, os, random, subprocess, sys, tarfile
        import webdataset as wds
        out, keys = sys.argv[1], sys.argv[2].split(";")
        result = {"shards": {}, "tar_ok": True, "picks": {k: 0 for k in keys}}
        rng = random.Random(1)
        def pick(fields, weights):
            order, pool = [], list(range(len(fields)))
            w = list(weights)
            while pool:
                i = rng.choices(range(len(pool)), weights=[w[j] for j in pool])[0]
                order.append(fields[pool.pop(i)])
            return order
        for name in sorted(os.listdir(out)):
            path = os.path.join(out, name)
            listing = subprocess.run(["tar", "-tvf", path], capture_output=True)
            result["tar_ok"] &= listing.returncode == 0 and not listing.stderr
            samples = []
            for s in wds.WebDataset(path, shardshuffle=False).decode():
                j = s["json"]
                samples.append({"key": s["__key__"], "txt": base64.b64encode(s["txt"].encode()).decode(),
                                "jpg": hashlib.sha256(s["jpg"]).hexdigest(),
                                "json": {k: base64.b64encode(v.encode()).decode() for k, v in j.items() if isinstance(v, str)}})
                for _ in range(50):
                    for k in pick(keys, [1] * len(keys)):
                        if isinstance(j.get(k), str) and j[k]:
                            result["picks"][k] += 1
                            break
            result["shards"][name] = samples
            result["members_" + name] = [m.name for m in tarfile.open(path)]
        print(json.dumps(result))
        """#

    struct ExportSample: Decodable { var key: String; var txt: String; var jpg: String; var json: [String: String] }
    struct ExportRead: Decodable {
        var shards: [String: [ExportSample]]
        var tar_ok: Bool
        var picks: [String: Int]
    }

    @Test func exportCopiesEveryMemberAndAddsTheRewritesToEachJSON() throws {
        let dir = try TemporaryDirectory("laclip-wds-out")
        let shards = try Self.makeShards(dir)
        let fixture = FormatJob(job: dir.path("job"))
        try FormatJob.enqueue([dir.path("shards").path], job: fixture.job).succeeded("enqueue")
        try fixture.complete()
        let out = dir.path("out")
        try fixture.export(["--format", "webdataset", "--out", out.path]).succeeded("export")
        let styles = ["chatgpt", "bard", "coco", "human"]
        let read = try JSONDecoder().decode(
            ExportRead.self,
            from: Data(
                try PythonReference.run(Self.readExport, [out.path, (["caption"] + styles).joined(separator: ";")]).utf8
            ))
        #expect(read.tar_ok)
        #expect(Set(read.shards.keys) == Set(shards.keys))
        var id: Int64 = 0
        for name in ["00000.tar", "00001.tar", "00002.tar", "gnu.tar"] {
            let input = shards[name] ?? [], output = read.shards[name] ?? []
            #expect(output.map(\.key) == input.map(\.key), "\(name)")
            for (a, b) in zip(input, output) {
                #expect(a.jpg == b.jpg && a.txt == b.txt, "\(a.key): image or txt changed")
                for (s, style) in styles.enumerated() {
                    let stored = FormatJob.rewrite(caption: id, style: s)
                    let original = String(decoding: Data(base64Encoded: a.txt) ?? Data(), as: UTF8.self)
                    let want = stored.contains(" ") ? stored : original
                    #expect(b.json[style] == b64(want), "\(a.key) \(style)")
                }
                if name != "gnu.tar" { #expect(b.json["url"] != nil, "img2dataset's fields kept") }
                id += 1
            }
        }
        let total = read.picks.values.reduce(0, +)
        #expect(total == 123 * 50)
        for (key, n) in read.picks {
            let share = Double(n) / Double(total)
            #expect(abs(share - 0.2) < 0.03, "\(key) picked \(share)")
        }
        // Input tars are byte-identical apart from the .json members: sizes add up.
        let again = try fixture.export(["--format", "webdataset", "--out", out.path])
        #expect(again.status == 0 && again.stdout.contains("4 tars already in"), "\(again)")
    }

    @Test func hostileAndBrokenTarsAreContained() throws {
        let dir = try TemporaryDirectory("laclip-wds-hostile")
        try PythonReference.run(
            #"""
            import io, os, sys, tarfile
            out = sys.argv[1]
            def member(tar, name, data):
                info = tarfile.TarInfo(name); info.size = len(data); tar.addfile(info, io.BytesIO(data))
            def good(tar, key):
                member(tar, key + ".jpg", b"\xff\xd8" + os.urandom(700)); member(tar, key + ".txt", f"caption of {key}".encode())
            with tarfile.open(os.path.join(out, "names.tar"), "w", format=tarfile.USTAR_FORMAT) as tar:
                good(tar, "000"); member(tar, "../../etc/laclip-x.txt", b"escape"); member(tar, "/abs/laclip-y.txt", b"absolute")
                good(tar, "001"); good(tar, "000"); member(tar, "002.jpg", b"no caption"); good(tar, "003")
                member(tar, "004.txt", b"\xff\xfe not utf8")
            with tarfile.open(os.path.join(out, "whole.tar"), "w", format=tarfile.USTAR_FORMAT) as tar:
                for k in range(5): good(tar, f"{k:03d}")
            whole = open(os.path.join(out, "whole.tar"), "rb").read()
            # Each sample is 5 blocks: jpg header, 2 data blocks, txt header, 1 data block.
            open(os.path.join(out, "cut-header.tar"), "wb").write(whole[:512 * 10 + 100])
            open(os.path.join(out, "cut-member.tar"), "wb").write(whole[:512 * 7 + 200])
            bad = bytearray(whole); bad[512 * 5 + 10] ^= 0x20
            open(os.path.join(out, "checksum.tar"), "wb").write(bytes(bad))
            huge = bytearray(whole[:1024])
            header = bytearray(huge[0:512]); header[124:136] = b"%011o\0" % (10 * 1024 ** 3)
            header[148:156] = b"        "; header[148:156] = b"%06o\0 " % sum(header)
            huge[0:512] = header
            open(os.path.join(out, "huge.tar"), "wb").write(bytes(huge))
            """#, [dir.url.path])
        let names = dir.path("names.tar").path
        let failed = try FormatJob.enqueue([names], job: dir.path("job-fail"))
        #expect(failed.status != 0)
        #expect(!FileManager.default.fileExists(atPath: dir.path("job-fail").path))

        let job = FormatJob(job: dir.path("job"))
        let output = try FormatJob.enqueue([names, "--on-bad-row", "skip"], job: job.job)
        try #require(output.status == 0, "\(output)")
        #expect(try job.captions().map(\.key) == ["000", "001", "003"])
        let info = try Laclip.run("info", "--job", job.job.path, "--bad-rows").stdout
        for expected in [
            "\(names):../../etc/laclip-x.txt: unsafe member name", "\(names):/abs/laclip-y.txt: unsafe member name",
            "\(names):000: duplicate key", "\(names):002: missing caption", "\(names):004: invalid UTF-8",
        ] {
            #expect(info.contains(expected), "\(expected)\n\(info)")
        }
        try job.complete()
        let out = dir.path("out")
        try job.export(["--format", "webdataset", "--out", out.path]).succeeded("export")
        let members = try PythonReference.run(
            "import sys, tarfile; print('\\n'.join(m.name for m in tarfile.open(sys.argv[1])))",
            [out.appendingPathComponent("names.tar").path])
        #expect(!members.contains("etc") && !members.contains("/abs"), "\(members)")
        #expect(members.contains("002.jpg"), "members not in the job are copied: \(members)")
        #expect(
            !FileManager.default.fileExists(atPath: "/etc/laclip-x.txt")
                && !FileManager.default.fileExists(atPath: "/abs"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["names.tar"])

        for (name, reason) in [
            ("cut-header.tar", "broken archive"), ("cut-member.tar", "broken archive"),
            ("checksum.tar", "broken archive"), ("huge.tar", "broken archive"),
        ] {
            let file = dir.path(name).path
            let strict = try FormatJob.enqueue([file], job: dir.path("job-\(name)"))
            #expect(strict.status != 0, "\(name)")
            #expect(
                strict.stderr.contains("\(file): offset") && strict.stderr.contains(reason), "\(name): \(strict.stderr)"
            )
            let lenient = try FormatJob.enqueue([file, "--on-bad-row", "skip"], job: dir.path("job-skip-\(name)"))
            if name == "huge.tar" {
                #expect(lenient.status != 0 && lenient.stderr.contains("no captions"), "\(name): \(lenient)")
            } else {
                #expect(lenient.status == 0, "\(name): \(lenient)")
                let kept = try FormatJob(job: dir.path("job-skip-\(name)")).captions().map(\.key)
                #expect(
                    !kept.isEmpty && kept == Array(["000", "001", "002", "003", "004"].prefix(kept.count)),
                    "\(name): \(kept)")
            }
        }
    }

    @Test(arguments: [31, 32, 33] as [UInt64])
    func killedExportThenTheSameCommandFinishesEveryTar(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let dir = try TemporaryDirectory("laclip-wds-kill")
        _ = try Self.makeShards(dir, count: 24, perShard: 100, imageBytes: 20_000)
        let fixture = FormatJob(job: dir.path("job"))
        try FormatJob.enqueue([dir.path("shards").path], job: fixture.job, styles: ["chatgpt"]).succeeded("enqueue")
        try fixture.complete()
        let reference = dir.path("reference")
        let started = Date()
        try fixture.export(["--format", "webdataset", "--out", reference.path]).succeeded("reference export")
        let span = Date().timeIntervalSince(started)
        let out = dir.path("out")
        let child = try Laclip.start(["export", "--job", fixture.job.path, "--format", "webdataset", "--out", out.path])
        usleep(UInt32(span * 1e6 * Double.random(in: 0.1...0.9, using: &rng)))
        child.signal(SIGKILL)
        _ = child.wait()
        let before = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
        print(
            "webdataset export kill, seed \(seed): \(before.filter { $0.hasSuffix(".tar") && !$0.hasPrefix(".") }.count) of 25 tars done at the kill"
        )
        try fixture.export(["--format", "webdataset", "--out", out.path]).succeeded("re-run")
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == (try FileManager.default.contentsOfDirectory(atPath: reference.path).sorted()))
        for name in names {
            #expect(
                FileManager.default.contentsEqual(
                    atPath: out.appendingPathComponent(name).path,
                    andPath: reference.appendingPathComponent(name).path), "\(name)")
        }
    }
}
