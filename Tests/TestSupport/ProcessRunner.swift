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
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                           currentDirectory: URL? = nil, stdin: String? = nil) throws -> ProcessOutput {
        let process = try start(executable, arguments, environment: environment, currentDirectory: currentDirectory, stdin: stdin)
        return process.wait()
    }

    public static func start(_ executable: URL, _ arguments: [String], environment: [String: String] = [:],
                             currentDirectory: URL? = nil, stdin: String? = nil) throws -> RunningProcess {
        try RunningProcess(executable, arguments, environment: environment, currentDirectory: currentDirectory, stdin: stdin)
    }

    /// Runs `python3 -c SCRIPT ARGS...`.
    @discardableResult
    public static func python(_ script: String, _ arguments: [String] = [], stdin: String? = nil) throws -> ProcessOutput {
        try run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script] + arguments, stdin: stdin)
    }
}

/// A started child process whose output goes to temporary files.
public final class RunningProcess: @unchecked Sendable {
    public let process = Process()
    private let outURL: URL
    private let errURL: URL

    init(_ executable: URL, _ arguments: [String], environment: [String: String], currentDirectory: URL?, stdin: String?) throws {
        let tmp = FileManager.default.temporaryDirectory
        let id = UUID().uuidString
        outURL = tmp.appendingPathComponent("laclip-proc-\(id).out")
        errURL = tmp.appendingPathComponent("laclip-proc-\(id).err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        if let stdin {
            let pipe = Pipe()
            process.standardInput = pipe
            try process.run()
            pipe.fileHandleForWriting.write(Data(stdin.utf8))
            try pipe.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
    }

    public var pid: Int32 { process.processIdentifier }

    public func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    public func wait() -> ProcessOutput {
        process.waitUntilExit()
        let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
        return ProcessOutput(status: process.terminationStatus, stdout: out, stderr: err)
    }
}
