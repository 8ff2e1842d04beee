import Foundation

/// Runs laclip subcommands as child processes, appending their output to one log file, so the
/// experiment drives exactly what a user would type.
struct LaclipProcess {
    let executable: URL
    let log: URL

    /// Runs `laclip <arguments>` and waits; throws with the last lines of its output on failure.
    func run(_ arguments: [String]) throws {
        let status = try launch(arguments)
        guard status == 0 else {
            let tail = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(15).joined(
                separator: "\n")
            throw ExperimentError(
                description:
                    "laclip \(arguments.joined(separator: " ")) exited with status \(status); last output (\(log.path)):\n\(tail)"
            )
        }
    }

    /// Runs `laclip <arguments>` and returns what it printed on stdout (stderr goes to the log).
    func capture(_ arguments: [String]) throws -> Data {
        let pipe = Pipe()
        let (status, output) = try launch(arguments, stdout: pipe.fileHandleForWriting) {
            pipe.fileHandleForWriting.closeFile()
            return pipe.fileHandleForReading.readDataToEndOfFile()
        }
        guard status == 0 else {
            throw ExperimentError(
                description: "laclip \(arguments.joined(separator: " ")) exited with status \(status); see \(log.path)")
        }
        return output
    }

    /// Whether this binary has a subcommand: its `--help` must print that subcommand's usage.
    /// (ArgumentParser answers `laclip unknown --help` with the root help and status 0.)
    func hasSubcommand(_ name: String) throws -> Bool {
        let pipe = Pipe()
        let process = Process()
        process.executableURL = executable
        process.arguments = [name, "--help"]
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw ExperimentError(description: "cannot start \(executable.path): \(error.localizedDescription)")
        }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 && output.contains("laclip \(name)")
    }

    private func launch(_ arguments: [String]) throws -> Int32 {
        try launch(arguments, stdout: nil) { () }.0
    }

    /// Starts the child with stdout to `stdout` (the log when nil), runs `whileRunning` (which
    /// must drain a pipe before the child can fill it), then waits.
    private func launch<T>(_ arguments: [String], stdout: FileHandle?, whileRunning: () throws -> T) throws -> (
        Int32, T
    ) {
        if !FileManager.default.fileExists(atPath: log.path) {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("$ laclip \(arguments.joined(separator: " "))\n".utf8))
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = stdout ?? handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw ExperimentError(description: "cannot start \(executable.path): \(error.localizedDescription)")
        }
        let value = try whileRunning()
        process.waitUntilExit()
        return (process.terminationStatus, value)
    }
}
