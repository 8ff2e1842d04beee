import Foundation
import Monitor
import TestSupport
import Testing

@Suite(.serialized) struct StatusWatchTests {
    @Test func plainLinesWhenNotATerminal() throws {
        let fixture = try StatusFixture(captions: 8, shardSize: 4)
        let process = try ProcessRunner.start(
            RepositoryPaths.laclip, ["status", "--job", fixture.job.path, "--watch", "0.2"])
        Thread.sleep(forTimeInterval: 1.5)
        process.signal(SIGINT)
        let output = process.wait()
        let lines = output.stdout.split(separator: "\n")
        #expect(lines.count >= 3, "\(output)")
        for line in lines {
            #expect(line.contains("0/32 rewrites, 0 in flight, 32 pending, 0 dead"))
            #expect(!line.contains("\u{1B}"))
        }
    }

    @Test func jsonLinesWithWatch() throws {
        let fixture = try StatusFixture(captions: 4, shardSize: 4)
        let process = try ProcessRunner.start(
            RepositoryPaths.laclip, ["status", "--job", fixture.job.path, "--watch", "0.2", "--json"])
        Thread.sleep(forTimeInterval: 1.0)
        process.signal(SIGTERM)
        let lines = process.wait().stdout.split(separator: "\n")
        #expect(lines.count >= 2)
        for line in lines {
            let report = try StatusReport.decoder.decode(StatusReport.self, from: Data(line.utf8))
            #expect(report.schemaVersion == 1 && report.totals.total == 16)
        }
    }

    // MARK: Terminal mode, in a real pseudo-terminal (tmux)

    /// A private tmux server (its own socket, no config) driven by posix_spawn: Foundation's
    /// Process loses track of tmux's client when the server daemonizes.
    struct Tmux {
        let socket = "laclip-test-\(UUID().uuidString.prefix(8))"
        let session = "status"
        let width: Int, height: Int

        @discardableResult
        func run(_ arguments: [String]) throws -> String {
            let outFile = FileManager.default.temporaryDirectory.appendingPathComponent(
                "\(socket)-\(UUID().uuidString).out")
            defer { unlink(outFile.path) }
            let argv = ["tmux", "-L", socket, "-f", "/dev/null"] + arguments
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, outFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
            var pid: pid_t = 0
            let cArgs = argv.map { strdup($0) } + [nil]
            defer { cArgs.forEach { free($0) } }
            guard posix_spawnp(&pid, "tmux", &actions, nil, cArgs, environ) == 0 else {
                throw StatusFixtureError(description: "cannot start tmux")
            }
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            let output = (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
            guard status == 0 else {
                throw StatusFixtureError(description: "tmux \(arguments): status \(status): \(output)")
            }
            return output
        }

        func start(environment: [String: String]) throws {
            // NO_COLOR and COLUMNS/LINES of the test's own environment must not leak into the pane.
            let exports = environment.map { "\($0.key)=\($0.value)" }
            try run(
                [
                    "new-session", "-d", "-s", session, "-x", String(width), "-y", String(height),
                    "env", "-u", "NO_COLOR", "-u", "COLUMNS", "-u", "LINES",
                ] + exports + ["sh"])
        }

        func type(_ text: String) throws { try run(["send-keys", "-t", session, text, "Enter"]) }
        func key(_ key: String) throws { try run(["send-keys", "-t", session, key]) }
        func screen(escapes: Bool = false) throws -> String {
            try run(["capture-pane", "-p", "-t", session] + (escapes ? ["-e"] : []))
        }
        /// "alternate-screen cursor-visible", e.g. "1 0" while watching.
        func modes() throws -> String {
            try run(["display-message", "-p", "-t", session, "#{alternate_on} #{cursor_flag}"]).trimmingCharacters(
                in: .whitespacesAndNewlines)
        }
        /// Ends the tmux server for good: `kill-server` alone was seen to leave servers behind
        /// (started with the test runner's blocked signals), so its pid is killed too.
        func kill() {
            let pid = (try? run(["display-message", "-p", "#{pid}"]))
                .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            _ = try? run(["kill-server"])
            if let pid { Glibc.kill(pid, SIGKILL) }
        }
    }

    static var tmuxAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    @Test(.enabled(if: tmuxAvailable, "needs tmux (apt-get install tmux)"))
    func redrawsInPlaceFitsAndRestoresTheTerminal() throws {
        // 20 shards on a 12-line, 70-column terminal: they cannot all be listed.
        let fixture = try StatusFixture(captions: 40, shardSize: 2)
        let tmux = Tmux(width: 70, height: 12)
        try tmux.start(environment: ["TERM": "xterm-256color"])
        defer { tmux.kill() }
        try tmux.type("\(RepositoryPaths.laclip.path) status --job \(fixture.job.path) --watch 0.2")
        Thread.sleep(forTimeInterval: 2.0)
        #expect(try tmux.modes() == "1 0", "alternate screen on, cursor hidden")
        let first = try tmux.screen()
        Thread.sleep(forTimeInterval: 0.6)
        let second = try tmux.screen()
        let lines = first.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix("laclip status") == true, "drawn from the top, not scrolled:\n\(first)")
        #expect(lines.allSatisfy { $0.count <= 70 })
        #expect(first.contains("more shards"), "\(first)")
        #expect(first.components(separatedBy: "laclip status").count == 2, "one frame on screen, not several")
        #expect(second.split(separator: "\n").first?.hasPrefix("laclip status") == true)
        let colored = try tmux.screen(escapes: true)
        #expect(colored.contains("\u{1B}[32m"), "colours on a terminal without NO_COLOR")

        try tmux.key("C-c")
        Thread.sleep(forTimeInterval: 0.8)
        #expect(try tmux.modes() == "0 1", "back on the normal screen with the cursor shown")
        #expect(try tmux.screen().contains("0/160 rewrites"), "the last plain line is left on the screen")
    }

    @Test(.enabled(if: tmuxAvailable, "needs tmux (apt-get install tmux)"))
    func honoursNoColor() throws {
        let fixture = try StatusFixture(captions: 4, shardSize: 2)
        let tmux = Tmux(width: 100, height: 30)
        try tmux.start(environment: ["TERM": "xterm-256color", "NO_COLOR": "1"])
        defer { tmux.kill() }
        try tmux.type("\(RepositoryPaths.laclip.path) status --job \(fixture.job.path) --watch 0.2")
        Thread.sleep(forTimeInterval: 1.5)
        let screen = try tmux.screen(escapes: true)
        #expect(screen.contains("laclip status"))
        #expect(!screen.contains("\u{1B}[32m") && !screen.contains("\u{1B}[2m"), "\(screen)")
        try tmux.key("C-c")
    }
}
