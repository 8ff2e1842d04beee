import Foundation

/// A finished child: its wall time and its own peak RSS (wait4's rusage, not the maximum over
/// every child so far as RUSAGE_CHILDREN would give).
struct ChildRun {
    var status: Int32
    var seconds: Double
    var peakRSSMiB: Double
    var output: String
}

enum ChildProcess {
    /// Runs `arguments[0]` with the rest, stdout and stderr captured into a file.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ChildRun {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("format-bench-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0)=\($1)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let started = DispatchTime.now().uptimeNanoseconds
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw BenchError("cannot start \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return ChildRun(status: exit, seconds: seconds, peakRSSMiB: Double(usage.ru_maxrss) / 1024, output: output)
    }

    /// Runs and throws with the output unless it exits 0.
    static func check(_ arguments: [String], environment: [String: String] = [:]) throws -> ChildRun {
        let run = try run(arguments, environment: environment)
        guard run.status == 0 else {
            throw BenchError("\(arguments.joined(separator: " ")) failed (\(run.status)):\n\(run.output)")
        }
        return run
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
