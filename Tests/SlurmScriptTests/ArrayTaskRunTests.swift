import Foundation
import SlurmScript
import TestSupport
import Testing

/// Runs generated scripts with bash as Slurm would run one array task (SLURM_ARRAY_* set), with
/// a fake `laclip` that records its arguments and a real HTTP server answering `/health`.
@Suite("sbatch script: one array task end to end", .serialized)
struct ArrayTaskRunTests {
    /// Paths with spaces and quotes everywhere: the script must quote them all.
    final class Sandbox: Sendable {
        let dir: TemporaryDirectory
        let jobDirectory: URL
        let logDirectory: URL
        let laclip: URL
        let arguments: URL
        let webRoot: URL

        init(laclipSetup: String = "", laclipBody: String = "exit 0") throws {
            dir = try TemporaryDirectory("laclip-array-task")
            let root = dir.path("it's a dir")
            jobDirectory = root.appendingPathComponent("my job")
            logDirectory = root.appendingPathComponent("slurm logs")
            webRoot = root.appendingPathComponent("web root")
            laclip = root.appendingPathComponent("bin dir/laclip")
            arguments = root.appendingPathComponent("arguments")
            for folder in [jobDirectory, logDirectory, webRoot, laclip.deletingLastPathComponent()] {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            try Data("ok".utf8).write(to: webRoot.appendingPathComponent("health"))
            try Data(
                """
                #!/bin/bash
                \(laclipSetup)
                printf '%s\\n' "$@" > \(ShellQuoting.quote(arguments.path))
                \(laclipBody)

                """.utf8
            ).write(to: laclip)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: laclip.path)
        }

        /// A foreground HTTP server that answers 200 on /health once it listens.
        var serverCommand: String {
            "cd \(ShellQuoting.quote(webRoot.path)) && exec python3 -m http.server {port} --bind 127.0.0.1"
        }

        func request(tasks: Int, basePort: Int) -> SlurmArrayRequest {
            var request = SlurmArrayRequest(
                jobDirectory: jobDirectory.path, tasks: tasks, server: .command(serverCommand),
                laclipPath: laclip.path, logDirectory: logDirectory.path)
            request.basePort = basePort
            request.healthTimeoutSeconds = 30
            request.runArguments = ["--concurrency", "2", "it's \"odd\"", "$HOME"]
            return request
        }

        func start(_ request: SlurmArrayRequest, task: Int) throws -> RunningProcess {
            let script = try dir.write("job.sbatch", try SlurmArrayScript.render(request))
            // The test process's threads block most signals and children inherit that mask;
            // slurmstepd starts tasks with none blocked or ignored, so the task does here too.
            // `timeout --foreground` keeps a broken script from hanging the suite and passes our
            // SIGTERM to the batch shell alone, as `--signal=B:TERM@...` does before a time limit.
            let unblock =
                "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); "
                + "[signal.signal(s, signal.SIG_DFL) for s in (signal.SIGINT, signal.SIGQUIT)]; os.execvp(sys.argv[1], sys.argv[1:])"
            return try ProcessRunner.start(
                URL(fileURLWithPath: "/usr/bin/env"),
                ["python3", "-c", unblock, "timeout", "--foreground", "-k", "5", "90", "/bin/bash", script.path],
                environment: ["SLURM_ARRAY_TASK_ID": "\(task)", "SLURM_ARRAY_JOB_ID": "4242"])
        }

        func recordedArguments() throws -> [String] {
            try String(contentsOf: arguments, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                .dropLast().map(String.init)
        }
    }

    /// Below Linux's ephemeral range, where client sockets would hold ports a server cannot bind.
    static func freeBasePort() -> Int { Int.random(in: 20_000...32_000) }

    static func listening(_ port: Int) throws -> Bool {
        try ProcessRunner.run(
            URL(fileURLWithPath: "/bin/bash"), ["-c", "(exec 3<>/dev/tcp/127.0.0.1/\(port)) 2>/dev/null"]
        ).status == 0
    }

    @Test func taskStartsServerRunsItsPartitionAndStopsServer() throws {
        let sandbox = try Sandbox()
        let base = Self.freeBasePort()
        let output = try sandbox.start(sandbox.request(tasks: 3, basePort: base), task: 1).wait()
        #expect(output.status == 0, "\(output)")
        let port = base + 1
        #expect(
            try sandbox.recordedArguments() == [
                "run", "--job", sandbox.jobDirectory.path, "--server", "http://127.0.0.1:\(port)", "--partition", "1/3",
                "--concurrency", "2", "it's \"odd\"", "$HOME",
            ])
        #expect(!(try Self.listening(port)), "the server outlived its task")
        let serverLog = try String(
            contentsOf: sandbox.logDirectory.appendingPathComponent("server-4242_1.log"), encoding: .utf8)
        #expect(serverLog.contains("GET /health"), "\(serverLog)")
    }

    @Test func laclipFailureIsTheTaskStatusAndServerStillStops() throws {
        let sandbox = try Sandbox(laclipBody: "exit 7")
        let base = Self.freeBasePort()
        let output = try sandbox.start(sandbox.request(tasks: 2, basePort: base), task: 0).wait()
        #expect(output.status == 7, "\(output)")
        #expect(output.stderr.contains("laclip run exited with status 7"), "\(output)")
        #expect(!(try Self.listening(base)))
    }

    @Test func takenPortIsSkippedInStepsOfTheTaskCount() throws {
        let sandbox = try Sandbox()
        let base = Self.freeBasePort()
        let squatter = try ProcessRunner.start(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", "-m", "http.server", "\(base + 2)", "--bind", "127.0.0.1"],
            currentDirectory: sandbox.webRoot)
        defer { squatter.signal(SIGKILL); _ = squatter.wait() }
        for _ in 0..<100 where !(try Self.listening(base + 2)) { usleep(100_000) }
        let output = try sandbox.start(sandbox.request(tasks: 4, basePort: base), task: 2).wait()
        #expect(output.status == 0, "\(output)")
        #expect(try sandbox.recordedArguments().contains("http://127.0.0.1:\(base + 2 + 4)"))
    }

    @Test func serverThatDiesBeforeHealthFailsTheTaskWithItsLog() throws {
        let sandbox = try Sandbox()
        var request = sandbox.request(tasks: 1, basePort: Self.freeBasePort())
        request.server = .command("echo 'model file missing on port {port}' >&2; exit 3")
        let output = try sandbox.start(request, task: 0).wait()
        #expect(output.status != 0)
        #expect(output.stderr.contains("exited before it was healthy"), "\(output)")
        #expect(output.stderr.contains("model file missing on port \(request.basePort)"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.arguments.path), "laclip ran without a server")
    }

    @Test func slurmTerminationDrainsLaclipThenStopsServer() throws {
        // The fake laclip waits for Ctrl-C (laclip's drain signal) and records that it got it.
        let sandbox = try Sandbox(
            laclipSetup: "trap 'echo drained >> \"$(dirname \"$0\")/signals\"; exit 130' INT",
            laclipBody: "while :; do sleep 0.1; done")
        let base = Self.freeBasePort()
        let task = try sandbox.start(sandbox.request(tasks: 1, basePort: base), task: 0)
        for _ in 0..<300 where !FileManager.default.fileExists(atPath: sandbox.arguments.path) { usleep(100_000) }
        #expect(try Self.listening(base))
        task.signal(SIGTERM)
        let output = task.wait()
        #expect(output.status == 143, "\(output)")
        let signals = try String(
            contentsOf: sandbox.laclip.deletingLastPathComponent().appendingPathComponent("signals"), encoding: .utf8)
        #expect(signals == "drained\n")
        #expect(!(try Self.listening(base)))
    }

    @Test func embeddedServerGetsItsPortSlotsRunFolderAndLogThroughTheEnvironment() throws {
        let sandbox = try Sandbox()
        // Stands in for scripts/llama-server.sh: same verbs, same environment contract.
        let fake = sandbox.dir.path("fake llama-server.sh")
        try Data(
            #"""
            #!/bin/bash
            set -eu
            pidfile="$LACLIP_SERVER_RUN_DIR/llama-server-$LACLIP_SERVER_PORT.pid"
            case "$1" in
              start)
                mkdir -p "$LACLIP_SERVER_RUN_DIR"
                echo "slots=$LACLIP_SERVER_SLOTS port=$LACLIP_SERVER_PORT" > "$LACLIP_SERVER_LOG"
                cd "$(dirname "$LACLIP_SERVER_LOG")/../web root"
                nohup python3 -m http.server "$LACLIP_SERVER_PORT" --bind 127.0.0.1 >>"$LACLIP_SERVER_LOG" 2>&1 &
                echo $! > "$pidfile"
                for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$LACLIP_SERVER_PORT") 2>/dev/null && exit 0; sleep 0.1; done
                exit 1 ;;
              stop) kill "$(cat "$pidfile")"; rm -f "$pidfile"; echo stopped >> "$LACLIP_SERVER_LOG" ;;
            esac
            """#.utf8
        ).write(to: fake)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let base = Self.freeBasePort()
        var request = sandbox.request(tasks: 2, basePort: base)
        request.server = .embedded(script: fake.path, slots: 1)
        let output = try sandbox.start(request, task: 1).wait()
        #expect(output.status == 0, "\(output)")
        let log = try String(
            contentsOf: sandbox.logDirectory.appendingPathComponent("server-4242_1.log"), encoding: .utf8)
        #expect(log.hasPrefix("slots=1 port=\(base + 1)\n"), "\(log)")
        #expect(log.hasSuffix("stopped\n"), "\(log)")
        #expect(try sandbox.recordedArguments().contains("http://127.0.0.1:\(base + 1)"))
        #expect(!(try Self.listening(base + 1)))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/laclip-slurm-4242_1"))
    }
}
