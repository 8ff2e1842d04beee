// `make bench`, issue 5: export rate and peak RSS, the time of one `laclip status`, and
// whether status slows the workers. Call `runExportBench(job:)` with the bench's enqueued job:
// it completes every task through the queue API first (what a finished `laclip run` leaves).
import Foundation
import RewriteQueue
import Synchronization
import TestSupport

func runExportBench(job directory: URL) throws {
    let binary = RepositoryPaths.executable("laclip")
    let job = try Job(directory: directory)
    let captions = job.shards.reduce(0) { $0 + $1.captions }
    print("== status and export (issue 5): \(captions) captions × \(job.styles.count) styles")

    func elapsed(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
    func pad(_ name: String) -> String { name.padding(toLength: 44, withPad: " ", startingAt: 0) }

    /// Claims and completes for `seconds` (or until the shard is empty); returns tasks/s.
    func drain(_ queue: ShardQueue, seconds: Double? = nil) throws -> (rate: Double, tasks: Int) {
        var done = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var time = 0.0
        while seconds.map({ time < $0 }) ?? true {
            let claimed = try queue.claim(limit: 256, owner: "export-bench", leaseMillis: 600_000)
            if claimed.isEmpty { break }
            done += try queue.complete(
                claimed.map {
                    TaskResult(
                        task: $0,
                        text: "a vivid, \"rewritten\" caption number \($0.id.caption) in style \($0.id.style)",
                        model: "bench-model", seed: $0.id.caption, promptTokens: 120, completionTokens: 20,
                        latencyMs: 900, finishReason: "stop")
                }, worker: "export-bench"
            ).count
            time = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        return (Double(done) / max(time, 1e-9), done)
    }

    // Fill every shard but the last two, so that status has a realistic amount of results to read.
    let queues = try job.shards.map { try job.openShard($0) }
    for queue in queues.dropLast(2) { _ = try drain(queue) }

    // Workers with and without a status loop reading the same job.
    if queues.count >= 3 {
        let alone = try drain(queues[queues.count - 2], seconds: 5)
        let loop = StatusLoop(binary: binary, job: directory)
        let together = try drain(queues[queues.count - 1], seconds: 5)
        let runs = loop.stop()
        print("\(pad("claim+complete, no status running")) \(String(format: "%.0f", alone.rate)) tasks/s")
        print(
            "\(pad("claim+complete, `laclip status` in a loop")) \(String(format: "%.0f", together.rate)) tasks/s (\(runs) status runs in 5 s; 2 cores shared)"
        )
    }
    for queue in queues.suffix(2) { _ = try drain(queue) }

    let statusSeconds = try elapsed { try ChildProcess.run(binary, ["status", "--job", directory.path], quiet: true) }
    let jsonSeconds = try elapsed {
        try ChildProcess.run(binary, ["status", "--job", directory.path, "--json"], quiet: true)
    }
    print(
        "\(pad("one `laclip status` (text / --json)")) \(String(format: "%.2f s / %.2f s", statusSeconds, jsonSeconds))"
    )

    let out = FileManager.default.temporaryDirectory.appendingPathComponent("laclip-export-bench-\(getpid())")
    defer { try? FileManager.default.removeItem(at: out) }
    for (format, file) in [("laclip", "train.csv"), ("openclip", "train.tsv"), ("jsonl", "train.jsonl")] {
        var peakKB = 0
        var arguments = [
            "export", "--job", directory.path, "--format", format, "--out", out.appendingPathComponent(file).path,
        ]
        if format == "openclip" { arguments += ["--separator", "tab"] }
        let seconds = try elapsed { peakKB = try ChildProcess.run(binary, arguments, quiet: true) }
        let bytes = (try FileManager.default.contentsOfDirectory(at: out, includingPropertiesForKeys: [.fileSizeKey]))
            .reduce(0) { $0 + ((try? $1.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0) }
        print(
            "\(pad("export --format \(format)")) \(String(format: "%.0f captions/s (%.2f s, %.0f MB written), peak RSS %.1f MB", Double(captions) / seconds, seconds, Double(bytes) / 1e6, Double(peakKB) / 1024))   (target ≥ 500,000 captions/s)"
        )
        try FileManager.default.removeItem(at: out)
    }
}

/// A child process whose own peak RSS (kB) is measured.
enum ChildProcess {
    @discardableResult
    static func run(_ executable: URL, _ arguments: [String], quiet: Bool) throws -> Int {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if quiet { posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0) }
        var pid: pid_t = 0
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, executable.path, &actions, nil, argv, environ) == 0 else {
            throw TestSupportError("cannot start \(executable.path)")
        }
        // rusage's ru_maxrss of a spawned child starts from the parent's peak (Linux carries it
        // across exec), so the child's own peak is read from /proc while it runs.
        var status: Int32 = 0
        var peakKB = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            peakKB = max(peakKB, highWaterKB(pid))
            usleep(5_000)
        }
        guard status == 0 else {
            throw TestSupportError(
                "\(executable.lastPathComponent) \(arguments.joined(separator: " ")) failed (status \(status))")
        }
        return peakKB
    }

    /// VmHWM of a live process, in kB (0 once it is gone).
    static func highWaterKB(_ pid: pid_t) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}

/// Runs `laclip status --json` back to back on a thread until stopped.
final class StatusLoop: Sendable {
    private let state = Mutex<(running: Bool, runs: Int)>((true, 0))
    private let finished = DispatchSemaphore(value: 0)

    init(binary: URL, job: URL) {
        Thread.detachNewThread { [self] in
            while state.withLock({ $0.running }) {
                if (try? ChildProcess.run(binary, ["status", "--job", job.path, "--json"], quiet: true)) != nil {
                    state.withLock { $0.runs += 1 }
                }
            }
            finished.signal()
        }
    }

    func stop() -> Int {
        state.withLock { $0.running = false }
        finished.wait()
        return state.withLock { $0.runs }
    }
}
