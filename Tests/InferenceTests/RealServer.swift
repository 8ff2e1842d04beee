import Foundation
import Inference
import TestSupport
import Testing

/// The real llama-server, built by scripts/llama-server.sh, launched by the tests on a free port
/// with 4 slots, and stopped when the suite ends.
final class RealServer: @unchecked Sendable {
    static let slots = 4
    let process: Process
    let url: URL
    let logFile: URL

    @TaskLocal static var current: RealServer?

    /// The binary and model, building them with `scripts/llama-server.sh install` if missing.
    /// nil (with a loud message) only when they cannot be had.
    static let paths: (binary: String, model: String)? = locate()

    private static func locate() -> (binary: String, model: String)? {
        guard let script = findScript() else {
            warn("scripts/llama-server.sh not found above \(#filePath); set LACLIP_REPO_ROOT")
            return nil
        }
        guard let output = run(script, ["install"]), output.lines.count >= 2,
            FileManager.default.isExecutableFile(atPath: output.lines[0])
        else {
            warn("scripts/llama-server.sh install failed: the real-server integration tests are SKIPPED")
            return nil
        }
        return (output.lines[0], output.lines[1])
    }

    private static func findScript() -> String? {
        if let root = ProcessInfo.processInfo.environment["LACLIP_REPO_ROOT"] {
            return root + "/scripts/llama-server.sh"
        }
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("scripts/llama-server.sh").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    private static func run(_ executable: String, _ arguments: [String]) -> (lines: [String], status: Int32)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.standardError
        do { try process.run() } catch { return nil }
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        return (lines, 0)
    }

    static func warn(_ message: String) {
        let banner = String(repeating: "!", count: 78)
        FileHandle.standardError.write(Data("\n\(banner)\n!! \(message)\n\(banner)\n\n".utf8))
    }

    init(binary: String, model: String) throws {
        let port = try FreePort.find()
        url = URL(string: "http://127.0.0.1:\(port)")!
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("inference-tests-llama-\(port).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--model", model, "--host", "127.0.0.1", "--port", String(port),
            "--parallel", String(Self.slots), "--ctx-size", String(Self.slots * 640),
            "--cont-batching", "--threads", "2", "--no-webui",
        ]
        let log = try FileHandle(forWritingTo: logFile)
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func logTail() -> String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }
}

/// Starts one llama-server for the whole suite and stops it afterwards.
struct RealServerTrait: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        guard let paths = RealServer.paths else { return }
        let server = try RealServer(binary: paths.binary, model: paths.model)
        defer { server.stop() }
        do {
            // Straight after launch: refused connections, then 503 while loading, then ready.
            try await llamaCppClient(server.url).waitUntilReady(timeout: .seconds(120))
        } catch {
            Issue.record("llama-server did not become ready: \(error)\n\(server.logTail())")
            return
        }
        try await RealServer.$current.withValue(server) { try await function() }
    }
}

extension Trait where Self == RealServerTrait {
    static var realLlamaServer: RealServerTrait { RealServerTrait() }
}
