import ArgumentParser
import Foundation
import RewriteQueue
import SlurmScript

struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Write an sbatch script that runs the job as a Slurm job array, one inference server per task.",
        discussion: """
            Array task I starts its own server, waits until /health answers 200, runs \
            `laclip run --partition I/N` against it and stops the server on exit. The job directory must be \
            on a filesystem every node mounts. Usage: laclip slurm --job DIR --tasks N > job.sbatch && sbatch job.sbatch
            """)

    @Option(help: "The job directory.")
    var job: String

    @Option(help: "Array tasks (N); task I works the shards whose id % N == I.")
    var tasks: Int

    @Option(
        help:
            "Shell command that serves in the foreground; {port} becomes the task's port (default: the embedded llama-server)."
    )
    var serverCmd: String?

    @Option(help: "First port: task I tries PORT+I, then steps by N while that port is taken.")
    var serverPort = 8200

    @Option(help: "Parallel slots of the embedded llama-server (default: its script's default).")
    var serverSlots: Int?

    @Option(
        help:
            "scripts/llama-server.sh of the embedded server (default: found beside the binary, or $LACLIP_SERVER_SCRIPT)."
    )
    var serverScript: String?

    @Option(help: "Seconds a task waits for its server's /health.")
    var healthTimeout = 900

    @Option(help: "GPUs per array task.")
    var gpusPerTask: Int?

    @Option(help: "CPUs per array task.")
    var cpusPerTask: Int?

    @Option(help: "Time limit per task (sbatch --time).")
    var time: String?

    @Option(help: "Slurm partition (sbatch --partition).")
    var partitionName: String?

    @Option(help: "Another sbatch option, verbatim (repeatable), e.g. --extra-sbatch=--account=abc.")
    var extraSbatch: [String] = []

    @Option(help: "Slurm job name.")
    var jobName = "laclip"

    @Option(help: "Where each task's Slurm output and server log go (default: JOB/slurm-logs, created now).")
    var logDir: String?

    @Option(help: "The laclip binary the tasks run (default: this one).")
    var laclip: String?

    @Option(
        help:
            "Extra `laclip run` arguments as one shell-quoted string, given with =: --run-args='--concurrency 8 --styles chatgpt'."
    )
    var runArgs = ""

    func run() throws {
        let jobURL = URL(fileURLWithPath: job).standardizedFileURL
        let opened: Job
        do {
            opened = try Job(directory: jobURL, readonly: true)
        } catch {
            throw ValidationError("\(error)")
        }
        let logs = URL(fileURLWithPath: logDir ?? jobURL.appendingPathComponent("slurm-logs").path).standardizedFileURL
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let server: InferenceServerLaunch =
            try serverCmd.map { .command($0) }
            ?? .embedded(script: try Self.embeddedServerScript(flag: serverScript).path, slots: serverSlots)

        var request = SlurmArrayRequest(
            jobDirectory: jobURL.path, tasks: tasks, server: server,
            laclipPath: try laclip.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? Self.thisBinary(),
            logDirectory: logs.path)
        request.basePort = serverPort
        request.healthTimeoutSeconds = healthTimeout
        request.gpusPerTask = gpusPerTask
        request.cpusPerTask = cpusPerTask
        request.time = time
        request.partitionName = partitionName
        request.extraSbatch = extraSbatch
        request.jobName = jobName
        do {
            request.runArguments = try ShellQuoting.split(runArgs)
            print(try SlurmArrayScript.render(request), terminator: "")
        } catch {
            throw ValidationError("\(error)")
        }
        if tasks > opened.shards.count {
            FileHandle.standardError.write(
                Data(
                    """
                    note: \(tasks) tasks for \(opened.shards.count) shards: tasks \(opened.shards.count)..\(tasks - 1) own no shard and exit at once \
                    (re-enqueue with --shards \(tasks) or more to use them all)\n
                    """.utf8))
        }
    }

    static func thisBinary() throws -> String {
        let path = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        if path.hasPrefix("/") && FileManager.default.isExecutableFile(atPath: path) { return path }
        throw ValidationError("cannot tell where this laclip binary is: pass --laclip PATH")
    }

    /// The flag, then $LACLIP_SERVER_SCRIPT, then scripts/llama-server.sh in the checkout the
    /// binary was built in (or the working directory).
    static func embeddedServerScript(flag: String?) throws -> URL {
        let fm = FileManager.default
        if let path = flag
            ?? ProcessInfo.processInfo.environment["LACLIP_SERVER_SCRIPT"].flatMap({ $0.isEmpty ? nil : $0 })
        {
            let url = URL(fileURLWithPath: path).standardizedFileURL
            guard fm.isExecutableFile(atPath: url.path) else {
                throw ValidationError("\(url.path): not an executable server script")
            }
            return url
        }
        var candidates = [URL(fileURLWithPath: fm.currentDirectoryPath)]
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.insert(dir, at: candidates.count - 1)
            dir = dir.deletingLastPathComponent()
        }
        for candidate in candidates {
            let script = candidate.appendingPathComponent("scripts/llama-server.sh").standardizedFileURL
            if fm.isExecutableFile(atPath: script.path) { return script }
        }
        throw ValidationError(
            "cannot find scripts/llama-server.sh for the embedded server: pass --server-script or --server-cmd")
    }
}
