import Foundation

/// The outcome of a finished child process.
public struct ProcessOutput: Sendable, CustomStringConvertible {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var description: String { "exit \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Runs real child processes for end-to-end tests.
public enum ProcessRunner {
    /// Runs to completion and captures both streams (through files: no pipe can fill up).
    @discardableResult
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:],
        currentDirectory: URL? = nil, stdin: String? = nil
    ) throws -> ProcessOutput {
        let process = try start(
            executable, arguments, environment: environment, currentDirectory: currentDirectory, stdin: stdin)
        return process.wait()
    }

    public static func start(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:],
        currentDirectory: URL? = nil, stdin: String? = nil
    ) throws -> RunningProcess {
        try RunningProcess(
            executable, arguments, environment: environment, currentDirectory: currentDirectory, stdin: stdin)
    }

    /// Runs `python3 -c SCRIPT ARGS...`.
    @discardableResult
    public static func python(_ script: String, _ arguments: [String] = [], stdin: String? = nil) throws
        -> ProcessOutput
    {
        try run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script] + arguments, stdin: stdin)
    }
}
