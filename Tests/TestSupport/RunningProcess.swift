import Foundation

/// A child started with posix_spawn and reaped with waitpid. Foundation's `Process` was seen to
/// miss a child's exit when tests start many processes at once (`waitUntilExit` then never
/// returns); owning the pid and calling waitpid ourselves cannot miss it.
public final class RunningProcess: @unchecked Sendable {
    public let pid: pid_t
    private let outURL: URL
    private let errURL: URL
    private let lock = NSLock()
    private var exitStatus: Int32?

    init(
        _ executable: URL, _ arguments: [String], environment: [String: String], currentDirectory: URL?, stdin: String?
    ) throws {
        let tmp = FileManager.default.temporaryDirectory
        let id = UUID().uuidString
        outURL = tmp.appendingPathComponent("laclip-proc-\(id).out")
        errURL = tmp.appendingPathComponent("laclip-proc-\(id).err")
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }

        var inputPath = "/dev/null"
        if let stdin {
            let inputURL = tmp.appendingPathComponent("laclip-proc-\(id).in")
            try Data(stdin.utf8).write(to: inputURL)
            inputPath = inputURL.path
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        // The child starts with default signal handling, whatever the test runner blocked.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        // A working directory goes through `env -C` (glibc's spawn has no portable chdir action).
        let program = currentDirectory == nil ? executable.path : "/usr/bin/env"
        let words = currentDirectory.map { ["/usr/bin/env", "-C", $0.path, executable.path] } ?? [executable.path]
        let argv = (words + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, program, &actions, &attributes, argv, envp)
        guard rc == 0 else {
            throw TestSupportError("cannot start \(executable.path): \(String(cString: strerror(rc)))")
        }
        pid = child
    }

    public var isRunning: Bool {
        lock.withLock {
            if exitStatus != nil { return false }
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { exitStatus = Self.decode(status) }
            return exitStatus == nil
        }
    }

    public func signal(_ signal: Int32) { kill(pid, signal) }

    /// What the child has written to stdout so far.
    public var stdoutSoFar: String { (try? String(contentsOf: outURL, encoding: .utf8)) ?? "" }

    public func wait() -> ProcessOutput {
        let status: Int32 = lock.withLock {
            if let exitStatus { return exitStatus }
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
            exitStatus = Self.decode(raw)
            return exitStatus!
        }
        let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
        return ProcessOutput(status: status, stdout: out, stderr: err)
    }

    /// Waits at most `seconds` for the child to exit on its own, then SIGKILLs it; says which.
    public func wait(killAfter seconds: Double) -> (output: ProcessOutput, timedOut: Bool) {
        let started = Date()
        while isRunning && Date().timeIntervalSince(started) < seconds { usleep(50_000) }
        let timedOut = isRunning
        if timedOut { signal(SIGKILL) }
        return (wait(), timedOut)
    }

    /// The exit code, or 128 + the signal number for a killed child (as shells report it).
    private static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
