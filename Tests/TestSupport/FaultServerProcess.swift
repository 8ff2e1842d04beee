import Foundation

/// The fault-injecting double of Tests/InferenceTests/Fixtures/fault_server.py, as a child
/// process on a fixed port (so that it can go away and come back on the same address).
/// Only for faults: the real path is tested against the real llama-server.
public final class FaultServerProcess: @unchecked Sendable {
    public let port: Int
    private var child: RunningProcess?
    public var url: String { "http://127.0.0.1:\(port)" }

    public init(port: Int? = nil) throws {
        self.port = try port ?? FreePort.find()
        try start()
    }

    deinit { stop() }

    public func start() throws {
        let script = RepositoryPaths.root.appendingPathComponent("Tests/InferenceTests/Fixtures/fault_server.py")
        let child = try ProcessRunner.start(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, "--port", String(port)])
        // The double prints its port once it listens (and exits when this process does).
        let deadline = Date().addingTimeInterval(30)
        while !child.stdoutSoFar.contains("PORT") {
            guard child.isRunning, Date() < deadline else {
                throw TestSupportError("fault double did not start: \(child.wait())")
            }
            usleep(20_000)
        }
        self.child = child
    }

    /// The server "goes away": killed, its port closed.
    public func stop() {
        guard let child, child.isRunning else { return }
        child.signal(SIGKILL)
        _ = child.wait()
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
