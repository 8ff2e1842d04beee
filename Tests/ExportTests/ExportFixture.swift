import Foundation
import RewriteQueue
import TestSupport

/// A real job: enqueued by the `laclip` binary, its tasks completed through the queue API.
struct ExportFixture {
    let directory: TemporaryDirectory
    let job: URL
    /// Captions in source order as enqueued, with their image paths.
    let rows: [(image: String, caption: String)]

    /// Captions chosen to break naive CSV, TSV, JSON and line-based writers.
    static let trickyCaptions = [
        "a \"quoted\" word, and a comma",
        "tab\tinside the caption",
        "  leading and trailing spaces  ",
        "🐕 a dog wearing a party hat 🎉",
        "قطة تجلس على السطح",
        "חתול יושב על הגג",
        "input caption => output caption",
        "plain caption of a red bicycle",
        "multi\nline caption",
        "a caption with a backslash \\ and 'single' quotes",
    ]

    /// The rewrite stored for a caption and style; rich in what writers must preserve or fold.
    static func rewrite(caption id: Int64, style: Int) -> String {
        switch (Int(id) + style) % 6 {
        case 0: "a vivid \"rewrite\", with commas, of caption \(id) in style \(style)"
        case 1: " spaced\trewrite \(id)/\(style) "
        case 2: "first line \(id)\nsecond line\r\nthird\rline"
        case 3: "emoji 🚲 and RTL שלום مرحبا => arrow \(id)/\(style)"
        case 4: "unicode line separator\u{2028}and paragraph\u{2029}end \(id)"
        default: "plain rewrite \(id) \(style)"
        }
    }

    /// `ids`: the CSV gets a header and a `uid` column holding `id(row)`.
    init(
        captions: [String], styles: [String] = ["chatgpt", "bard"], shardSize: Int = 3, dedup: Bool = false,
        ids: Bool = false, imageFor: (Int) -> String = { "images/\($0).jpg" }
    ) throws {
        directory = try TemporaryDirectory("laclip-export")
        job = directory.path("job")
        rows = captions.enumerated().map { (imageFor($0.offset), $0.element) }
        var csv = ids ? "uid,filepath,title\n" : ""
        for (i, row) in rows.enumerated() {
            csv +=
                (ids ? "\(Self.quoted(Self.id(i)))," : "") + "\(Self.quoted(row.image)),\(Self.quoted(row.caption))\n"
        }
        let source = try directory.write("captions.csv", csv)
        var arguments = [
            "enqueue", source.path, "--job", job.path, "--styles", styles.joined(separator: ","),
            "--shard-size", String(shardSize), "--format", "csv",
            "--meta-pairs", RepositoryPaths.metaPairs.path,
            "--template", RepositoryPaths.prompts.appendingPathComponent("laclip.txt").path,
        ]
        if dedup { arguments.append("--dedup") }
        let output = try ProcessRunner.run(RepositoryPaths.laclip, arguments)
        guard output.status == 0 else { throw FixtureError(description: "enqueue failed: \(output)") }
    }

    /// The id of row `i` in a fixture made with `ids`: a comma and a quote, so writers must quote it.
    static func id(_ i: Int) -> String { "uid-\(i),\"\(i * 7)\"" }

    static func quoted(_ field: String) -> String { "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Completes every pending task whose (caption, style) `include` accepts, with `rewrite`.
    func complete(include: (Int64, Int) -> Bool = { _, _ in true }) throws {
        let opened = try Job(directory: job)
        for shard in opened.shards {
            let queue = try opened.openShard(shard)
            let claimed = try queue.claim(limit: 100_000, owner: "fixture", leaseMillis: 600_000)
            let results = claimed.filter { include($0.id.caption, $0.id.style) }.map {
                TaskResult(
                    task: $0, text: Self.rewrite(caption: $0.id.caption, style: $0.id.style),
                    model: "model-\($0.id.style)",
                    seed: $0.id.caption * 10 + Int64($0.id.style), promptTokens: 100 + Int($0.id.caption),
                    completionTokens: 20 + $0.id.style, latencyMs: 5, finishReason: "stop")
            }
            try queue.complete(results, worker: "fixture")
            try queue.release(owner: "fixture")
        }
    }

    func export(_ arguments: [String]) throws -> ProcessOutput {
        try ProcessRunner.run(RepositoryPaths.laclip, ["export", "--job", job.path] + arguments)
    }
}

struct FixtureError: Error, CustomStringConvertible { var description: String }

/// Runs a Python reader over exported files and returns what it parsed (as JSON it printed).
enum PythonReader {
    static func read<T: Decodable>(_ script: String, _ arguments: [String], as type: T.Type) throws -> T {
        let output = try ProcessRunner.python(script, arguments)
        guard output.status == 0 else { throw FixtureError(description: "python failed: \(output)") }
        return try JSONDecoder().decode(T.self, from: Data(output.stdout.utf8))
    }

    static let csvRows = """
        import csv, json, sys
        delimiter = sys.argv[2] if len(sys.argv) > 2 else ','
        with open(sys.argv[1], newline='', encoding='utf-8') as f:
            print(json.dumps(list(csv.reader(f, delimiter=delimiter))))
        """

    /// The lines of a text file three ways: split on '\\n', `readlines()`, `str.splitlines()`.
    static let textLines = """
        import json, sys
        data = open(sys.argv[1], encoding='utf-8', newline='').read()
        universal = open(sys.argv[1], encoding='utf-8').readlines()
        assert data.endswith('\\n') or data == ''
        print(json.dumps({'lines': data.split('\\n')[:-1], 'readlines': len(universal), 'splitlines': len(data.splitlines())}))
        """

    static let jsonLines = """
        import json, sys
        with open(sys.argv[1], encoding='utf-8') as f:
            print(json.dumps([json.loads(line) for line in f]))
        """
}

/// Byte-exact equality (Swift's String == compares canonical equivalence).
func bytes(_ strings: [String]) -> [[UInt8]] { strings.map { Array($0.utf8) } }
func bytes(_ rows: [[String]]) -> [[[UInt8]]] { rows.map(bytes) }
