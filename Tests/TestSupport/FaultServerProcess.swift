import Foundation

/// The fault-injecting double of Tests/InferenceTests/Fixtures/fault_server.py, as a child
/// process on a fixed port (so that it can go away and come back on the same address).
/// Only for faults: the real path is tested against the real llama-server.
public final class FaultServerProcess: @unchecked Sendable {
    public let port: Int
    private var process: Process?
    private var stdin: Pipe?
    public var url: String { "http://127.0.0.1:\(port)" }

    public init(port: Int? = nil) throws {
        self.port = try port ?? FreePort.find()
        try start()
    }

    deinit { stop() }

    public func start() throws {
        let script = RepositoryPaths.root.appendingPathComponent("Tests/InferenceTests/Fixtures/fault_server.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--port", String(port)]
        let out = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardInput = input
        try process.run()
        // The double prints its port once it listens, and exits when its stdin closes.
        var seen = Data()
        while !seen.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { throw TestSupportError("fault double exited before listening") }
            seen.append(chunk)
        }
        self.process = process
        self.stdin = input
    }

    /// The server "goes away": killed, its port closed.
    public func stop() {
        guard let process, process.isRunning else { return }
        // SIGTERM does not reliably end the Python double; SIGKILL does.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? stdin?.fileHandleForWriting.close()
    }

    /// Sets the behaviours consumed one per request (see the script's docstring).
    public func plan(completion: [String], health: [String] = []) throws {
        let body = try JSONSerialization.data(withJSONObject: ["completion": completion, "health": health])
        let output = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"),
                                           ["curl", "-fsS", "-X", "POST", "--data-binary", "@-", "\(url)/__plan"],
                                           stdin: String(decoding: body, as: UTF8.self))
        guard output.status == 0 else { throw TestSupportError("could not post the plan: \(output)") }
    }
}
