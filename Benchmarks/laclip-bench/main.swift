// `make bench`: prints the figures of laclip's throughput and memory targets. Figures, not
// pass/fail: the targets are printed beside them for the reader.
import Foundation
import RewriteQueue
import TestSupport

let arguments = CommandLine.arguments
let captions = Int(ProcessInfo.processInfo.environment["LACLIP_BENCH_CAPTIONS"] ?? "") ?? 1_000_000
let work = try TemporaryDirectory("laclip-bench")
let binary = RepositoryPaths.executable("laclip")

func line(_ name: String, _ value: String, _ target: String = "") {
    // Pads short names into a column; a longer one is kept whole (it names the contender).
    let padded = name.count >= 44 ? name : name.padding(toLength: 44, withPad: " ", startingAt: 0)
    print("\(padded) \(value)\(target.isEmpty ? "" : "   (target \(target))")")
    // A bench writing to a file is block-buffered: a crash later would take every figure with it
    // (fflush(nil) flushes every stream without naming the global `stdout`).
    fflush(nil)
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func directoryBytes(_ url: URL) -> Int64 {
    let files =
        (try? FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: [.fileSizeKey])) ?? []
    return files.reduce(0) { $0 + Int64((try? $1.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0) }
}

/// Peak RSS of the largest child waited for so far, in MiB.
func childrenPeakRSS() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

// LACLIP_BENCH_ONLY=rewrite runs only the rewrite figures (the queue part enqueues a million
// captions first); LACLIP_BENCH_ONLY=fidelity only the scoring rate; LACLIP_BENCH_ONLY=guard
// only the fidelity guard's cost in `laclip run` throughput; LACLIP_BENCH_ONLY=ordering only the
// prefix-cache ordering part, at LACLIP_BENCH_ORDERING_CAPTIONS. LACLIP_BENCH_ORDERING_CAPTIONS=0
// leaves out the prefix-cache ordering part (about 100 minutes here at its default 2,000);
// LACLIP_BENCH_ORDERING_SERVER_ARGS adds llama-server options to its servers (`--cache-ram 0`),
// LACLIP_BENCH_ORDERING_ORDERS picks the orders it measures (`task,caption`, the default).
let only = ProcessInfo.processInfo.environment["LACLIP_BENCH_ONLY"]
if only == nil {
    print("laclip bench — \(captions) captions, binary \(binary.path)")
    print("== queue (issue 2)")
    let dataset = work.path("captions.csv")
    try Data(CaptionFactory.laclipCSV(count: captions).utf8).write(to: dataset)
    line("dataset", String(format: "%.1f MB LaCLIP CSV", Double(try Data(contentsOf: dataset).count) / 1e6))

    let job = work.path("job")
    var enqueueOutput = ProcessOutput(status: 0, stdout: "", stderr: "")
    let enqueueSeconds = try seconds {
        enqueueOutput = try ProcessRunner.run(
            binary,
            [
                "enqueue", dataset.path, "--job", job.path,
                "--meta-pairs", RepositoryPaths.metaPairs.path,
                "--template", RepositoryPaths.prompts.appendingPathComponent("laclip.txt").path,
            ])
    }
    guard enqueueOutput.status == 0 else { print(enqueueOutput); exit(1) }
    line(
        "enqueue rate (× 4 styles, whole process)",
        String(format: "%.0f captions/s (%.2f s)", Double(captions) / enqueueSeconds, enqueueSeconds), "≥ 250,000")
    line("enqueue peak RSS", String(format: "%.1f MB", childrenPeakRSS()), "≤ 150 MB")
    let bytes = directoryBytes(job)
    line("bytes on disk per million captions", String(format: "%.1f MB", Double(bytes) / Double(captions) * 1e6 / 1e6))

    let opened = try Job(directory: job)
    let shard = try opened.openShard(opened.shards[0])
    let batch = 256
    var done = 0
    var claimSeconds = 0.0
    let drainSeconds = try seconds {
        while true {
            var claimed: [ClaimedTask] = []
            claimSeconds += try seconds { claimed = try shard.claim(limit: batch, owner: "bench", leaseMillis: 60_000) }
            if claimed.isEmpty { break }
            let results = claimed.map {
                TaskResult(
                    task: $0, text: "a vivid rewrite of the caption for the benchmark",
                    model: "bench", seed: 1, promptTokens: 120, completionTokens: 20, latencyMs: 900,
                    finishReason: "stop")
            }
            done += try shard.complete(results, worker: "bench").count
        }
    }
    line(
        "claim+complete rate (batches of \(batch))",
        String(
            format: "%.0f tasks/s (%d tasks; %.0f%% of the time in claim)", Double(done) / drainSeconds, done,
            claimSeconds / drainSeconds * 100), "≥ 50,000")

    print("== export and status (issue 5)")
    try runExportBench(job: job)
}

if only == nil || only == "fidelity" {
    print("== fidelity (issue 15)")
    runFidelityBench()
}

if only != "fidelity" && ProcessInfo.processInfo.environment["LACLIP_BENCH_SKIP_REWRITE"] == nil {
    let rewriteCaptions = Int(ProcessInfo.processInfo.environment["LACLIP_BENCH_REWRITE_CAPTIONS"] ?? "") ?? 40
    let orderingCaptions = Int(ProcessInfo.processInfo.environment["LACLIP_BENCH_ORDERING_CAPTIONS"] ?? "") ?? 2_000
    var bench = RewriteBench(captions: rewriteCaptions, orderingCaptions: orderingCaptions)
    bench.orderingServerArguments =
        (ProcessInfo.processInfo.environment["LACLIP_BENCH_ORDERING_SERVER_ARGS"] ?? "").split(separator: " ").map(
            String.init)
    if let orders = ProcessInfo.processInfo.environment["LACLIP_BENCH_ORDERING_ORDERS"] {
        bench.orders = try orders.split(separator: ",").map { name in
            guard let order = RewriteBench.PromptOrder(rawValue: String(name)) else {
                throw TestSupportError(
                    "LACLIP_BENCH_ORDERING_ORDERS: unknown order \(name) (one of \(RewriteBench.PromptOrder.allCases.map(\.rawValue)))"
                )
            }
            return order
        }
    }
    switch only {
    case "guard": try await bench.runGuardCost()
    case "ordering": try await bench.runOrdering()
    default: try await bench.run()
    }
}
