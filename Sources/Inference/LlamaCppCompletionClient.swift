import AsyncHTTPClient
import Logging

/// llama.cpp's native `POST /completion`. Preferred for llama.cpp because its answer echoes the
/// sampler settings the slot used, so the decoding parameters can be checked, not assumed.
public struct LlamaCppCompletionClient: CompletionClient {
    let connection: ServerConnection

    public init(configuration: ServerConfiguration, httpClient: HTTPClient, logger: Logger) {
        connection = ServerConnection(httpClient: httpClient, configuration: configuration, logger: logger)
    }

    public var api: ServerAPI { .llamaCpp }
    public var endpoint: String { connection.endpoint }

    public func complete(_ request: CompletionRequest) async throws -> CompletionResponse {
        let started = ContinuousClock.now
        let raw = try await connection.post("/completion", json: LlamaCppCompletionBody(request))
        let answer = try connection.decode(LlamaCppCompletionAnswer.self, from: raw, path: "/completion")
        return CompletionResponse(
            text: answer.content,
            promptTokens: answer.tokens_evaluated ?? answer.timings?.prompt_n ?? 0,
            completionTokens: answer.tokens_predicted ?? answer.timings?.predicted_n ?? 0,
            finishReason: answer.finishReason,
            model: answer.model ?? "unknown",
            latency: ContinuousClock.now - started,
            endpoint: endpoint,
            api: .llamaCpp,
            // Not `tokens_cached`: that is everything in the slot's cache afterwards, the prompt and
            // the generated tokens, so it says nothing about what was reused.
            cachedPromptTokens: answer.timings?.cache_n,
            serverSettings: answer.generation_settings)
    }

    public func health() async throws -> ServerHealth { try await connection.health() }
    public func slotCount() async throws -> Int? { try await connection.slotCount() }
    public func serverLoad() async throws -> ServerLoad? { try await connection.serverLoad() }
    public func countTokens(_ text: String) async throws -> Int { try await connection.countTokens(text, model: nil) }
}
