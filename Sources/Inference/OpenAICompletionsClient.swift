import AsyncHTTPClient
import Logging

/// OpenAI-compatible `POST /v1/completions` (vLLM, llama.cpp, TGI, SGLang, Ollama).
public struct OpenAICompletionsClient: CompletionClient {
    let connection: ServerConnection
    /// The `model` field; nil omits it (llama.cpp and Ollama's single model do not need it).
    public let model: String?

    public init(configuration: ServerConfiguration, httpClient: HTTPClient, logger: Logger) {
        connection = ServerConnection(httpClient: httpClient, configuration: configuration, logger: logger)
        model = configuration.model
    }

    public var api: ServerAPI { .openAI }
    public var endpoint: String { connection.endpoint }

    public func complete(_ request: CompletionRequest) async throws -> CompletionResponse {
        let started = ContinuousClock.now
        let body = OpenAICompletionBody(
            request, model: model,
            extraSamplerFields: connection.configuration.sendsExtraSamplerFields)
        let raw = try await connection.post("/v1/completions", json: body)
        let answer = try connection.decode(OpenAICompletionAnswer.self, from: raw, path: "/v1/completions")
        guard let choice = answer.choices.first else {
            throw InferenceError(
                kind: .malformedResponse, endpoint: endpoint,
                detail: "/v1/completions: no choices in \(connection.snippet(raw.body))")
        }
        return CompletionResponse(
            text: choice.text,
            promptTokens: answer.usage?.prompt_tokens ?? 0,
            completionTokens: answer.usage?.completion_tokens ?? 0,
            finishReason: choice.finish_reason.map(FinishReason.init(rawValue:)) ?? FinishReason(rawValue: "unknown"),
            model: answer.model ?? model ?? "unknown",
            latency: ContinuousClock.now - started,
            endpoint: endpoint,
            api: .openAI)
    }

    public func health() async throws -> ServerHealth { try await connection.health() }
    public func slotCount() async throws -> Int? { try await connection.slotCount() }
    public func serverLoad() async throws -> ServerLoad? { try await connection.serverLoad() }
    public func countTokens(_ text: String) async throws -> Int { try await connection.countTokens(text, model: model) }
}
