import Foundation

/// The embedded llama.cpp server (scripts/llama-server.sh), started on a free port for a test
/// and stopped when released. `make test` builds it first; without it the test fails and says
/// how to get it.
public final class LlamaServerProcess: @unchecked Sendable {
    public let port: Int
    public let runDirectory: TemporaryDirectory
    /// More llama-server options, e.g. `--embeddings --pooling mean` for an embeddings server
    /// (a second process: such a server is not the completion server the tests expect).
    public let extraArguments: [String]
    /// Generation threads; nil leaves it to the script (one core kept free for everything else).
    public let threads: Int?
    public var url: String { "http://127.0.0.1:\(port)" }

    /// Tests run one at a time and mostly wait on this server, so by default it gets every core:
    /// on this 2-core machine that made the real-server suites 1.7x faster than the script's one
    /// thread. A test running two servers side by side gives each one thread (two 2-thread
    /// servers on 2 cores stall each other's spinning threads).
    public init(
        slots: Int = 4, threads: Int? = ProcessInfo.processInfo.activeProcessorCount,
        extraArguments: [String] = []
    ) throws {
        port = try FreePort.find()
        runDirectory = try TemporaryDirectory("laclip-llama")
        self.extraArguments = extraArguments
        self.threads = threads
        let output = try ProcessRunner.run(Self.script, ["start"], environment: environment(slots: slots))
        guard output.status == 0 else {
            throw TestSupportError("could not start llama-server (run `make server` to build it): \(output)")
        }
    }

    deinit { stop() }

    public func stop() {
        _ = try? ProcessRunner.run(Self.script, ["stop"], environment: environment(slots: 0))
    }

    public var log: String {
        (try? String(contentsOf: runDirectory.path("llama-server-\(port).log"), encoding: .utf8)) ?? ""
    }

    private func environment(slots: Int) -> [String: String] {
        var env = ["LACLIP_SERVER_PORT": String(port), "LACLIP_SERVER_RUN_DIR": runDirectory.url.path]
        if slots > 0 { env["LACLIP_SERVER_SLOTS"] = String(slots) }
        if let threads { env["LACLIP_SERVER_THREADS"] = String(threads) }
        // The script word-splits it: options without spaces inside only.
        if !extraArguments.isEmpty { env["LACLIP_SERVER_EXTRA_ARGS"] = extraArguments.joined(separator: " ") }
        return env
    }

    static var script: URL { RepositoryPaths.root.appendingPathComponent("scripts/llama-server.sh") }
}

public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A TCP port nothing listens on right now (bind to port 0, read it back, close).
public enum FreePort {
    public static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw TestSupportError("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
