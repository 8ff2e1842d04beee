/// What a loaded server says about itself on `/health`.
public enum ServerHealth: Sendable, Hashable {
    case ready
    /// llama.cpp answers 503 while it loads the model (vLLM/TGI refuse connections instead).
    case loading
}

/// One inference server, spoken to in one API.
public protocol CompletionClient: Sendable {
    /// The API this client speaks (never `.auto`).
    var api: ServerAPI { get }
    /// Base URL for logs and errors, without credentials.
    var endpoint: String { get }

    /// One attempt, no retry: errors are `InferenceError` (classified) or `CancellationError`.
    func complete(_ request: CompletionRequest) async throws -> CompletionResponse
    /// Throws when the server cannot be reached at all.
    func health() async throws -> ServerHealth
    /// llama.cpp's `total_slots` from `/props`: how many requests it decodes at once.
    /// nil when the server has no `/props` (vLLM, TGI, Ollama).
    func slotCount() async throws -> Int?
    /// The server's own queue from `/metrics`; nil when it exposes none (llama.cpp without
    /// `--metrics`, TGI, Ollama, test doubles).
    func serverLoad() async throws -> ServerLoad?
    /// Tokens the server's tokenizer makes of `text`, without BOS/special tokens.
    /// llama.cpp and vLLM have `/tokenize`; elsewhere this throws `.unsupported`.
    func countTokens(_ text: String) async throws -> Int
}

extension CompletionClient {
    /// Clients that cannot read a server queue report none.
    public func serverLoad() async throws -> ServerLoad? { nil }

    /// Polls `/health` until ready. A refused connection counts as "not up yet", so this can be
    /// called right after launching a server. Throws `.notReady` at the deadline.
    public func waitUntilReady(timeout: Duration, pollInterval: Duration = .milliseconds(200)) async throws {
        let deadline = ContinuousClock.now + timeout
        var lastState = "no answer yet"
        while true {
            do {
                if try await health() == .ready { return }
                lastState = "loading"
            } catch let error as InferenceError where error.isRetryable {
                lastState = error.description
            }
            if ContinuousClock.now + pollInterval > deadline {
                throw InferenceError(
                    kind: .notReady, endpoint: endpoint,
                    detail: "not ready after \(timeout): \(lastState)")
            }
            try await Task.sleep(for: pollInterval)
        }
    }
}
