import Foundation
import RewriteQueue
import TestSupport
import Testing

/// `laclip enqueue` and `laclip export --format parquet` against files pyarrow, duckdb and
/// polars write and read: the real binary, real files, the reference libraries as oracles.
@Suite(
    "Parquet in and out", .serialized,
    .enabled(if: PythonReference.isAvailable, "\(PythonReference.unavailableReason ?? "")"))
struct ParquetPipelineTests {
    /// Writes the same captions with several writers and settings; prints what each file holds.
    static let writeVariants = #"""
        import base64, json, os, sys
        import pyarrow as pa, pyarrow.parquet as pq, duckdb, polars as pl
        out = sys.argv[1]
        n = 1500
        captions = [f"caption {i}: a dog, \"quoted\" — ünïcödé 🐕 {'x' * (i % 50)}" for i in range(n)]
        captions[3] = "  leading and trailing spaces  "
        captions[4] = "multi\nline\r\ncaption"
        urls = [f"https://example.com/img/{i}.jpg" for i in range(n)]
        uids = [f"{i:016x}" for i in range(n)]
        table = pa.table({"uid": uids, "url": urls, "text": captions,
                          "width": pa.array(range(n), pa.int64()),
                          "exif": pa.array([{"k": i} for i in range(n)])})
        files = {}
        for codec in ["none", "snappy", "gzip", "zstd"]:
            for dictionary in [True, False]:
                for version in ["1.0", "2.0"]:
                    name = f"pa-{codec}-{'dict' if dictionary else 'plain'}-v{version[0]}.parquet"
                    pq.write_table(table, os.path.join(out, name), compression=codec, use_dictionary=dictionary,
                                   data_page_version=version, row_group_size=400, data_page_size=4096)
                    files[name] = "text"
        pq.write_table(table, os.path.join(out, "pa-delta.parquet"), use_dictionary=False, compression="snappy",
                       column_encoding={"text": "DELTA_BYTE_ARRAY", "url": "DELTA_LENGTH_BYTE_ARRAY", "width": "DELTA_BINARY_PACKED", "uid": "DELTA_BYTE_ARRAY"},
                       data_page_version="2.0", row_group_size=700)
        files["pa-delta.parquet"] = "text"
        pq.write_table(table.cast(pa.schema([("uid", pa.large_string()), ("url", pa.large_string()), ("text", pa.large_string()),
                                              ("width", pa.int64()), ("exif", table.schema.field("exif").type)])),
                       os.path.join(out, "pa-large.parquet"))
        files["pa-large.parquet"] = "text"
        flat = table.drop(["exif"])
        con = duckdb.connect()
        con.register("t", flat)
        con.execute(f"COPY (SELECT * FROM t) TO '{os.path.join(out, 'duckdb.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 500)")
        files["duckdb.parquet"] = "text"
        pl.from_arrow(flat).write_parquet(os.path.join(out, "polars.parquet"), row_group_size=600)
        files["polars.parquet"] = "text"
        expected = [{"text": base64.b64encode(c.encode()).decode(), "url": u, "uid": k} for c, u, k in zip(captions, urls, uids)]
        print(json.dumps({"files": sorted(files), "rows": expected}))
        """#

    struct Variants: Decodable {
        struct Row: Decodable { var text: String; var url: String; var uid: String }
        var files: [String]
        var rows: [Row]
    }

    @Test func everyWriterAndSettingEnqueuesEveryCaptionByteExact() throws {
        let dir = try TemporaryDirectory("laclip-parquet-in")
        let variants = try JSONDecoder().decode(
            Variants.self, from: Data(try PythonReference.run(Self.writeVariants, [dir.url.path]).utf8))
        let expected = variants.rows.map {
            FormatJob.Caption(
                sourceID: 0, row: 0, text: Array(Data(base64Encoded: $0.text) ?? Data()), image: $0.url, key: $0.uid)
        }
        #expect(variants.files.count == 20)
        for file in variants.files {
            let job = dir.path("job-\(file)")
            let output = try FormatJob.enqueue([dir.path(file).path], job: job)
            try #require(output.status == 0, "\(file): \(output)")
            #expect(output.stdout.contains("caption=text, image=url, id=uid"), "\(file): \(output.stdout)")
            #expect(
                output.stdout.contains("nested columns skipped: exif") || !file.hasPrefix("pa-"), "\(output.stdout)")
            let stored = try FormatJob(job: job).captions()
            #expect(stored.count == expected.count, "\(file)")
            for (index, (got, want)) in zip(stored, expected).enumerated() {
                #expect(got.text == want.text && got.image == want.image && got.key == want.key, "\(file) row \(index)")
                #expect(got.row == index)
                if got.text != want.text { break }
            }
        }
    }

    @Test func partFilesOfOneCallKeepTheirOrderAndChecksums() throws {
        let dir = try TemporaryDirectory("laclip-parquet-parts")
        try PythonReference.run(
            #"""
            import os, sys, pyarrow as pa, pyarrow.parquet as pq
            os.makedirs(os.path.join(sys.argv[1], "laion"))
            for part in range(3):
                pq.write_table(pa.table({"URL": [f"u{part}-{i}" for i in range(10)], "TEXT": [f"part {part} caption {i}" for i in range(10)]}),
                               os.path.join(sys.argv[1], "laion", f"part-{part:05d}.parquet"))
            """#, [dir.url.path])
        let job = dir.path("job")
        let output = try FormatJob.enqueue([dir.path("laion").path], job: job)
        try #require(output.status == 0, "\(output)")
        #expect(output.stdout.contains("caption=TEXT, image=URL"), "\(output.stdout)")
        let opened = try Job(directory: job, readonly: true)
        let sources = try opened.manifest.sources()
        #expect(
            sources.map { URL(fileURLWithPath: $0.path).lastPathComponent } == [
                "part-00000.parquet", "part-00001.parquet", "part-00002.parquet",
            ])
        #expect(Set(sources.map(\.checksum)).count == 3)
        let texts = try FormatJob(job: job).captions().map { String(decoding: $0.text, as: UTF8.self) }
        #expect(texts == (0..<3).flatMap { part in (0..<10).map { "part \(part) caption \($0)" } })

        // The same files by brace range: the same job.
        let again = try FormatJob.enqueue(
            [dir.path("laion").path + "/part-{00000..00002}.parquet"], job: dir.path("job2"))
        #expect(again.status == 0, "\(again)")
        #expect(
            try FormatJob(job: dir.path("job2")).captions().map { String(decoding: $0.text, as: UTF8.self) } == texts)
    }

    @Test func badRowsAreNamedByFileAndRowAndSkipKeepsEveryGoodOne() throws {
        let dir = try TemporaryDirectory("laclip-parquet-bad")
        try PythonReference.run(
            #"""
            import sys, pyarrow as pa, pyarrow.parquet as pq
            caps = [b"good 0", None, b"", b"\xff\xfe bad utf8", b"good 4", b"x" * 2000, b"good 6", b"   "]
            pq.write_table(pa.table({"caption": pa.array(caps, pa.binary()), "key": [str(i) for i in range(len(caps))]}),
                           sys.argv[1] + "/bad.parquet", row_group_size=3)
            """#, [dir.url.path])
        let file = dir.path("bad.parquet").path
        let failed = try FormatJob.enqueue([file], job: dir.path("job"))
        #expect(failed.status != 0)
        #expect(failed.stderr.contains("\(file): row 1: empty caption"), "\(failed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("job").path))

        let skipped = try FormatJob.enqueue([file, "--on-bad-row", "skip"], job: dir.path("job"))
        try #require(skipped.status == 0, "\(skipped)")
        let stored = try FormatJob(job: dir.path("job")).captions()
        #expect(stored.map { String(decoding: $0.text, as: UTF8.self) } == ["good 0", "good 4", "good 6"])
        #expect(stored.map(\.key) == ["0", "4", "6"])
        let info = try Laclip.run("info", "--job", dir.path("job").path, "--bad-rows")
        for (row, reason) in [
            (1, "empty caption"), (2, "empty caption"), (3, "invalid UTF-8"), (5, "caption too long"),
            (7, "empty caption"),
        ] {
            #expect(info.stdout.contains("\(file): row \(row): \(reason)"), "row \(row): \(info.stdout)")
        }
    }

    @Test func corruptFilesFailWithTheirNameAndCreateNoJob() throws {
        let dir = try TemporaryDirectory("laclip-parquet-corrupt")
        let layout = try PythonReference.run(
            #"""
            import json, sys, pyarrow as pa, pyarrow.parquet as pq
            path = sys.argv[1] + "/good.parquet"
            pq.write_table(pa.table({"text": [f"caption number {i} " * 8 for i in range(2000)]}), path,
                           compression="snappy", use_dictionary=False)
            column = pq.ParquetFile(path).metadata.row_group(0).column(0)
            print(json.dumps({"page": column.data_page_offset, "size": column.total_compressed_size}))
            """#, [dir.url.path])
        struct Page: Decodable { var page: Int; var size: Int }
        let page = try JSONDecoder().decode(Page.self, from: Data(layout.utf8))
        let good = try [UInt8](Data(contentsOf: dir.path("good.parquet")))
        var damaged = good
        for i in (page.page + 40)..<(page.page + min(page.size, 400)) { damaged[i] ^= 0x5A }
        var wrongMagic = good
        wrongMagic[good.count - 1] = UInt8(ascii: "X")
        let cases: [(String, [UInt8], String)] = [
            ("truncated.parquet", Array(good[0..<(good.count / 2)]), "truncated.parquet"),
            ("magic.parquet", wrongMagic, "magic.parquet"),
            ("damaged.parquet", damaged, "damaged.parquet: offset"),
        ]
        for (name, bytes, message) in cases {
            let file = try dir.write(name, bytes: bytes)
            let output = try FormatJob.enqueue([file.path], job: dir.path("job-\(name)"))
            #expect(output.status != 0, "\(name): \(output)")
            #expect(output.stderr.contains(message), "\(name): \(output.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.path("job-\(name)").path), "\(name) made a job")
        }
        let missing = try FormatJob.enqueue(
            [dir.path("good.parquet").path, "--caption-column", "TEXT_MISSING"], job: dir.path("job-col"))
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no caption column TEXT_MISSING (columns: text)"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("job-col").path))
    }

    @Test func recapDataCompShapeWithAChosenCaptionColumn() throws {
        let dir = try TemporaryDirectory("laclip-parquet-recap")
        try PythonReference.run(
            #"""
            import sys, pyarrow as pa, pyarrow.parquet as pq
            n = 50
            pq.write_table(pa.table({"url": [f"https://x/{i}.jpg" for i in range(n)],
                                     "re_caption": [f"A long recaption number {i}." for i in range(n)],
                                     "org_caption": [f"org {i}" for i in range(n)],
                                     "key": [f"{i:09d}" for i in range(n)]}), sys.argv[1] + "/recap.parquet")
            """#, [dir.url.path])
        let output = try FormatJob.enqueue(
            [dir.path("recap.parquet").path, "--caption-column", "org_caption"], job: dir.path("job"))
        try #require(output.status == 0, "\(output)")
        #expect(output.stdout.contains("caption=org_caption, image=url, id=key"), "\(output.stdout)")
        let stored = try FormatJob(job: dir.path("job")).captions()
        #expect(stored.map { String(decoding: $0.text, as: UTF8.self) } == (0..<50).map { "org \($0)" })
    }

    @Test func laionShapedMillionRowsEnqueue() throws {
        let dir = try TemporaryDirectory("laclip-parquet-laion")
        try PythonReference.run(
            #"""
            import sys, pyarrow as pa, pyarrow.parquet as pq, numpy as np
            n = 1_000_000
            ids = np.arange(n)
            text = pa.array([f"a photo of thing {i} on a table" for i in range(n)])
            url = pa.array([f"https://img.example/{i}.jpg" for i in range(n)])
            exif = pa.array([{"Make": "x"}] * n)
            pq.write_table(pa.table({"URL": url, "TEXT": text, "WIDTH": pa.array(ids % 1000 + 1), "HEIGHT": pa.array(ids % 700 + 1),
                                     "similarity": pa.array(ids / n), "exif": exif}), sys.argv[1] + "/laion.parquet",
                           compression="snappy", row_group_size=100_000)
            """#, [dir.url.path])
        let output = try FormatJob.enqueue(
            [dir.path("laion.parquet").path, "--styles", "chatgpt"], job: dir.path("job"), styles: ["chatgpt"])
        try #require(output.status == 0, "\(output)")
        #expect(output.stdout.contains("enqueued 1000000 captions"), "\(output.stdout)")
        let opened = try Job(directory: dir.path("job"), readonly: true)
        #expect(try opened.counts().total(.pending) == 1_000_000)
    }

    /// What the three libraries read back from laclip's Parquet export.
    static let readExport = #"""
        import base64, json, sys
        import pyarrow.parquet as pq, duckdb, polars as pl
        path = sys.argv[1]
        t = pq.read_table(path)
        def enc(v): return None if v is None else base64.b64encode(v.encode()).decode()
        out = {"columns": t.column_names, "pyarrow": [[enc(v) if isinstance(v, str) else v for v in row.values()] for row in t.to_pylist()]}
        out["duckdb"] = [[enc(v) if isinstance(v, str) else v for v in row] for row in duckdb.sql(f"SELECT * FROM read_parquet('{path}')").fetchall()]
        out["polars"] = [[enc(v) if isinstance(v, str) else v for v in row] for row in pl.read_parquet(path).rows()]
        print(json.dumps(out))
        """#

    struct ReadBack: Decodable {
        var columns: [String]
        var pyarrow: [[JSONValue]]
        var duckdb: [[JSONValue]]
        var polars: [[JSONValue]]
    }

    @Test(arguments: ["snappy", "zstd", "none"])
    func exportReadBackByPyarrowDuckdbAndPolars(compression: String) throws {
        let dir = try TemporaryDirectory("laclip-parquet-out")
        try PythonReference.run(
            #"""
            import sys, pyarrow as pa, pyarrow.parquet as pq
            n = 300
            pq.write_table(pa.table({"uid": [f"id-{i}" for i in range(n)], "url": [f"https://x/{i}.jpg" for i in range(n)],
                                     "TEXT": [f"caption {i}, \"quoted\" 🐕" for i in range(n)]}), sys.argv[1] + "/in.parquet", row_group_size=64)
            """#, [dir.url.path])
        let fixture = FormatJob(job: dir.path("job"))
        try FormatJob.enqueue([dir.path("in.parquet").path, "--shard-size", "70"], job: fixture.job).succeeded(
            "enqueue")
        try fixture.complete { caption, style in !(caption == 7 && style == 1) }
        let out = dir.path("out.parquet")
        let refused = try fixture.export(["--format", "parquet", "--out", out.path])
        #expect(refused.status != 0, "a missing rewrite must refuse by default")
        try fixture.export([
            "--format", "parquet", "--out", out.path, "--missing", "original", "--compression", compression,
        ]).succeeded("export")
        let read = try JSONDecoder().decode(
            ReadBack.self, from: Data(try PythonReference.run(Self.readExport, [out.path]).utf8))
        let styles = ["chatgpt", "bard", "coco", "human"]
        #expect(
            read.columns == ["uid", "url", "TEXT"] + styles
                + styles.flatMap { ["\($0)_model", "\($0)_seed", "\($0)_fidelity"] })
        #expect(read.pyarrow.count == 300)
        #expect(read.duckdb == read.pyarrow)
        #expect(read.polars == read.pyarrow)
        for (i, row) in read.pyarrow.enumerated() {
            let original = "caption \(i), \"quoted\" 🐕"
            #expect(
                row[0] == .string(b64("id-\(i)")) && row[1] == .string(b64("https://x/\(i).jpg"))
                    && row[2] == .string(b64(original)))
            for (s, _) in styles.enumerated() {
                let stored = FormatJob.rewrite(caption: Int64(i), style: s)
                // Missing (with --missing original) or under 2 words: the original, no model or seed.
                let replaced = (i == 7 && s == 1) || !stored.contains(" ")
                #expect(row[3 + s] == .string(b64(replaced ? original : stored)), "row \(i) style \(s)")
                #expect(row[7 + 3 * s] == (replaced ? .null : .string(b64("model-\(s)"))), "row \(i) style \(s) model")
                #expect(row[8 + 3 * s] == (replaced ? .null : .number(Double(i * 10 + s))), "row \(i) style \(s) seed")
                // Completed through the queue API without a score: null either way.
                #expect(row[9 + 3 * s] == .null, "row \(i) style \(s) fidelity")
            }
        }
    }
}

func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

/// Just enough of JSON to compare what Python printed.
enum JSONValue: Decodable, Equatable {
    case string(String), number(Double), bool(Bool), null

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }
}
