/// What a server says about its own queue on `/metrics` (llama.cpp with `--metrics`:
/// `llamacpp:requests_processing` / `llamacpp:requests_deferred`; vLLM:
/// `vllm:num_requests_running` / `vllm:num_requests_waiting`), summed over endpoints.
public struct ServerLoad: Sendable, Equatable {
    /// Requests being decoded now (busy slots).
    public var running: Int
    /// Requests accepted but queued on the server until a slot frees.
    public var waiting: Int

    public init(running: Int, waiting: Int) {
        self.running = running
        self.waiting = waiting
    }

    public static func + (a: ServerLoad, b: ServerLoad) -> ServerLoad {
        ServerLoad(running: a.running + b.running, waiting: a.waiting + b.waiting)
    }

    static let runningNames: Set<String> = ["llamacpp:requests_processing", "vllm:num_requests_running"]
    static let waitingNames: Set<String> = ["llamacpp:requests_deferred", "vllm:num_requests_waiting"]

    /// Reads Prometheus text (`name{labels} value` lines; `#` lines are comments). nil when
    /// neither gauge is there (a server whose metrics say nothing about its queue). Values of
    /// the same name are summed: vLLM labels one line per model.
    public static func parse(prometheus text: String) -> ServerLoad? {
        var running: Double?
        var waiting: Double?
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, let value = Double(parts[1]), value.isFinite else { continue }
            let name = String(parts[0].prefix { $0 != "{" })
            if runningNames.contains(name) { running = (running ?? 0) + value }
            if waitingNames.contains(name) { waiting = (waiting ?? 0) + value }
        }
        guard let running, let waiting else { return nil }
        return ServerLoad(running: Int(running.rounded()), waiting: Int(waiting.rounded()))
    }
}
