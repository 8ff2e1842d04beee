// `make bench`, the formats part: Parquet and WebDataset enqueue and export at scale, against
// the CSV path, pyarrow's own reader and `cp -r` as the ceilings. Figures and ratios, printed
// beside their targets; nothing here passes or fails.
import Foundation
import RewriteQueue

let environment = ProcessInfo.processInfo.environment
let root = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let laclip = environment["LACLIP_BINARY"] ?? root.appendingPathComponent("laclip").path
let cache =
    environment["LACLIP_CACHE"]
    ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/laclip").path
let python = environment["LACLIP_PY_FORMATS"] ?? "\(cache)/venv-formats-1/bin/python"
let rows = Int(environment["LACLIP_BENCH_CAPTIONS"] ?? "") ?? 1_000_000
let work = FileManager.default.temporaryDirectory.appendingPathComponent("laclip-format-bench-\(getpid())")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: work) }
func path(_ name: String) -> String { work.appendingPathComponent(name).path }
let styles = "chatgpt,bard,coco,human"

func line(_ name: String, _ value: String, _ target: String = "") {
    print(
        "\(name.padding(toLength: 52, withPad: " ", startingAt: 0)) \(value)\(target.isEmpty ? "" : "   (target \(target))")"
    )
}
func rate(_ n: Int, _ seconds: Double) -> String { String(format: "%.0f/s", Double(n) / seconds) }
func mib(_ value: Double) -> String { String(format: "%.0f MiB", value) }

/// Completes every task with a short fixed rewrite, as a finished `laclip run` would leave it.
func completeAll(_ job: String) throws {
    let opened = try Job(directory: URL(fileURLWithPath: job))
    for shard in opened.shards {
        let queue = try opened.openShard(shard)
        while true {
            let claimed = try queue.claim(limit: 20_000, owner: "bench", leaseMillis: 600_000)
            if claimed.isEmpty { break }
            try queue.complete(
                claimed.map {
                    TaskResult(
                        task: $0, text: "a rewritten caption number \($0.id.caption) in style \($0.id.style)",
                        model: "bench",
                        seed: $0.id.caption, promptTokens: 90, completionTokens: 12, latencyMs: 1, finishReason: "stop")
                }, worker: "bench")
        }
        try queue.release(owner: "bench")
    }
}

func bytes(ofTree directory: String) -> Int64 {
    let enumerator = FileManager.default.enumerator(
        at: URL(fileURLWithPath: directory), includingPropertiesForKeys: [.fileSizeKey])
    var total: Int64 = 0
    while let url = enumerator?.nextObject() as? URL {
        total += Int64((try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
    }
    return total
}

guard FileManager.default.isExecutableFile(atPath: python) else {
    print("formats bench SKIPPED: no reference venv at \(python) (make pyenv)")
    exit(0)
}

print("== Parquet (issue 13) and enqueue (issue 16), \(rows) LAION-shaped rows")
_ = try ChildProcess.check([
    python, "-c",
    #"""
    import sys, csv, pyarrow as pa, pyarrow.parquet as pq, numpy as np
    n, out = int(sys.argv[1]), sys.argv[2]
    ids = np.arange(n)
    text = [f"a photo of item {i}, shot on a wooden table near the window" for i in range(n)]
    url = [f"https://img.example.com/{i % 997}/{i}.jpg" for i in range(n)]
    pq.write_table(pa.table({"URL": url, "TEXT": text, "WIDTH": ids % 1000 + 1, "HEIGHT": ids % 700 + 1,
                             "similarity": ids / n, "exif": pa.array([{"Make": "x"}] * n)}),
                   out + "/laion.parquet", compression="snappy", row_group_size=100_000)
    with open(out + "/laion.csv", "w", newline="") as f:
        w = csv.writer(f); w.writerow(["URL", "TEXT"]); w.writerows(zip(url, text))
    """#, String(rows), work.path,
])

let csvRun = try ChildProcess.check([
    laclip, "enqueue", path("laion.csv"), "--job", path("job-csv"), "--styles", styles,
])
line(
    "enqueue CSV", "\(rate(rows, csvRun.seconds)) captions, peak RSS \(mib(csvRun.peakRSSMiB))", "≥ 250000/s, ≤ 150 MiB"
)
let parquetRun = try ChildProcess.check([
    laclip, "enqueue", path("laion.parquet"), "--job", path("job-parquet"), "--styles", styles,
])
line(
    "enqueue Parquet (snappy)", "\(rate(rows, parquetRun.seconds)) captions, peak RSS \(mib(parquetRun.peakRSSMiB))",
    "≤ 150 MiB")
line("  Parquet / CSV", String(format: "%.2f", csvRun.seconds / parquetRun.seconds), "≥ 1.0")
let pyarrow = try ChildProcess.check([
    python, "-c",
    #"""
    import sys, time, pyarrow.parquet as pq
    best = 1e9
    for _ in range(3):
        t = time.perf_counter(); pq.read_table(sys.argv[1], columns=["TEXT"]); best = min(best, time.perf_counter() - t)
    print(best)
    """#, path("laion.parquet"),
])
if let seconds = Double(
    pyarrow.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last ?? "")
{
    line("pyarrow read_table(columns=[TEXT])", rate(rows, seconds) + " rows")
    line("  laclip enqueue / pyarrow read", String(format: "%.3f", seconds / parquetRun.seconds))
}
_ = try ChildProcess.check([
    laclip, "enqueue", path("laion.parquet"), "--job", path("job-export"), "--styles", "chatgpt",
])
try completeAll(path("job-export"))
let exportRun = try ChildProcess.check([
    laclip, "export", "--job", path("job-export"), "--format", "parquet", "--out", path("out.parquet"),
])
line(
    "export Parquet (snappy, 1 style)",
    "\(rate(rows, exportRun.seconds)) captions, peak RSS \(mib(exportRun.peakRSSMiB))", "≥ 500000/s, ≤ 150 MiB")

let shards = Int(environment["LACLIP_BENCH_SHARDS"] ?? "") ?? 20
print("== WebDataset (issue 14), \(shards) shards × 1000 samples × 50 KB images")
_ = try ChildProcess.check([
    python, "-c",
    #"""
    import io, os, sys, tarfile, json
    shards, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out)
    image = os.urandom(50_000)
    for s in range(shards):
        with tarfile.open(os.path.join(out, f"{s:05d}.tar"), "w", format=tarfile.USTAR_FORMAT) as tar:
            for i in range(1000):
                key = f"{s:05d}{i:04d}"
                for ext, data in (("jpg", image[i:] + image[:i]), ("txt", f"caption {key} of a photo".encode()),
                                  ("json", json.dumps({"key": key, "caption": f"caption {key} of a photo", "url": f"https://x/{key}.jpg"}).encode())):
                    info = tarfile.TarInfo(f"{key}.{ext}"); info.size = len(data); tar.addfile(info, io.BytesIO(data))
    """#, String(shards), path("shards"),
])
let shardBytes = Double(bytes(ofTree: path("shards"))) / 1_048_576
let samples = shards * 1000
let wdsEnqueue = try ChildProcess.check([
    laclip, "enqueue", path("shards"), "--job", path("job-wds"), "--styles", styles,
])
line(
    "enqueue WebDataset",
    "\(rate(samples, wdsEnqueue.seconds)) captions, \(String(format: "%.0f MB/s", shardBytes / wdsEnqueue.seconds)) read, peak RSS \(mib(wdsEnqueue.peakRSSMiB))",
    "≤ 150 MiB")
try completeAll(path("job-wds"))
let copy = try ChildProcess.check(["cp", "-r", path("shards"), path("shards-copy")])
let wdsExport = try ChildProcess.check([
    laclip, "export", "--job", path("job-wds"), "--format", "webdataset", "--out", path("shards-out"),
])
let outBytes = Double(bytes(ofTree: path("shards-out"))) / 1_048_576
line("cp -r of the shards", String(format: "%.0f MB/s", shardBytes / copy.seconds))
line(
    "export WebDataset",
    String(format: "%.0f MB/s", outBytes / wdsExport.seconds) + ", peak RSS " + mib(wdsExport.peakRSSMiB), "≤ 150 MiB")
line("  export / cp -r", String(format: "%.2f", (outBytes / wdsExport.seconds) / (shardBytes / copy.seconds)), "≥ 0.5")
