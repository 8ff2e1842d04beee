import Foundation

/// The fault-injecting double of Tests/InferenceTests/Fixtures/fault_server.py, as a child
/// process on a fixed port (so that it can go away and come back on the same address).
/// Only for faults: the real path is tested against the real llama-server.
public final class FaultServerProcess: @unchecked Sendable {
    public let port: Int
    /// Extra command-line options of the script (`--service 0.2 --slots 4 --metrics`...).
    public let arguments: [String]
    private var child: RunningProcess?
    public var url: String { "http://127.0.0.1:\(port)" }

    public init(port: Int? = nil, arguments: [String] = []) throws {
        self.port = try port ?? FreePort.find()
        self.arguments = arguments
        try start()
    }

    deinit { stop() }

    public func start() throws {
        let script = RepositoryPaths.root.appendingPathComponent("Tests/InferenceTests/Fixtures/fault_server.py")
        let child = try ProcessRunner.start(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, "--port", String(port)] + arguments)
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

    /// Sets the behaviours consumed one per request (see the script's docstring); `poison`
    /// marks the prompts the double never answers (held `poisonHang` seconds, then reset).
    public func plan(completion: [String], health: [String] = [], poison: String? = nil, poisonHang: Double = 60) throws
    {
        var plan: [String: Any] = ["completion": completion, "health": health, "poison_hang": poisonHang]
        if let poison { plan["poison"] = poison }
        let body = try JSONSerialization.data(withJSONObject: plan)
        let output = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["curl", "-fsS", "-X", "POST", "--data-binary", "@-", "\(url)/__plan"],
            stdin: String(decoding: body, as: UTF8.self))
        guard output.status == 0 else { throw TestSupportError("could not post the plan: \(output)") }
    }

    /// The double's `/__stats` (request counts, `poison_seen`, `in_flight_at_completion`...).
    public func stats() throws -> [String: Any] {
        let output = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["curl", "-fsS", "\(url)/__stats"])
        guard output.status == 0,
            let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        else {
            throw TestSupportError("could not read the double's stats: \(output)")
        }
        return object
    }
}
