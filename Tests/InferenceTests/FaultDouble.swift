import AsyncHTTPClient
import Foundation
import Inference
import Logging
import NIOCore

/// The fault-injecting server of Fixtures/fault_server.py, run as a subprocess on a free port.
final class FaultDouble: @unchecked Sendable {
    private var process: Process
    private var stdinPipe: Pipe
    let port: Int
    let extraArguments: [String]
    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    init(arguments: [String] = [], port: Int = 0) throws {
        extraArguments = arguments
        (process, stdinPipe, self.port) = try Self.launch(arguments: arguments, port: port)
    }

    private static func launch(arguments: [String], port: Int) throws -> (Process, Pipe, Int) {
        guard let script = Bundle.module.url(forResource: "fault_server", withExtension: "py", subdirectory: "Fixtures")
        else {
            throw DoubleError("Fixtures/fault_server.py is missing from the test bundle")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--port", String(port)] + arguments
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin // held open; the double watches its parent pid instead
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { throw DoubleError("fault double exited before reporting its port") }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let portText = text.split(separator: " ").last?.split(separator: "\n").first, let bound = Int(portText)
        else {
            throw DoubleError("unexpected first line from fault double: \(text)")
        }
        return (process, stdin, bound)
    }

    /// Kills the double (the server "goes away").
    func stop() {
        guard process.isRunning else { return }
        // SIGKILL: a child spawned from a test thread can inherit a mask that blocks SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Starts it again on the same port (the server "comes back"); its plan and counters restart.
    func restart() throws {
        stop()
        (process, stdinPipe, _) = try Self.launch(arguments: extraArguments, port: port)
    }

    deinit { stop() }

    func plan(completion: [String] = [], health: [String] = []) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["completion": completion, "health": health])
        _ = try await Self.control(url: url.appendingPathComponent("__plan"), body: body)
    }

    struct Stats: Decodable {
        struct Counts: Decodable {
            var completion: Int; var health: Int; var props: Int; var tokenize: Int; var models: Int
        }
        var stats: Counts
        var authorization_seen: Int
        var max_in_flight: Int
    }

    func stats() async throws -> Stats {
        let data = try await Self.control(url: url.appendingPathComponent("__stats"), body: nil)
        return try JSONDecoder().decode(Stats.self, from: data)
    }

    func lastCompletionBody() async throws -> [String: Any] {
        let data = try await Self.control(url: url.appendingPathComponent("__stats"), body: nil)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return object?["last_completion_body"] as? [String: Any] ?? [:]
    }

    private static func control(url: URL, body: Data?) async throws -> Data {
        var request = HTTPClientRequest(url: url.absoluteString)
        if let body {
            request.method = .POST
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        return Data(try await response.body.collect(upTo: 1 << 20).readableBytesView)
    }
}

struct DoubleError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Collects every log line (message and metadata) so tests can look for leaked secrets.
final class CapturingLogHandler: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        lock.withLock { storage.append("\(event.level) \(event.message) \(merged)") }
    }

    var lines: [String] { lock.withLock { storage } }
}

extension Logger {
    static func capturing() -> (Logger, CapturingLogHandler) {
        let handler = CapturingLogHandler()
        return (Logger(label: "inference-test", factory: { _ in handler }), handler)
    }
}
