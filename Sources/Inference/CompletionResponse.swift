/// A finished completion and what it cost.
public struct CompletionResponse: Sendable {
    /// The generated text, without the stop string.
    public var text: String
    public var promptTokens: Int
    public var completionTokens: Int
    public var finishReason: FinishReason
    /// The name the server reports for its model (llama.cpp: alias or file path).
    public var model: String
    /// Wall time from sending the request to having decoded the answer (one attempt).
    public var latency: Duration
    /// Base URL of the server that answered (never with credentials).
    public var endpoint: String
    public var api: ServerAPI
    /// 1 for a first-try success; set by `EndpointPool` when it retried.
    public var attempts: Int
    /// Prompt tokens the server reused from its cache (llama.cpp only).
    public var cachedPromptTokens: Int?
    /// The sampler settings the server says it used (llama.cpp's native API only).
    public var serverSettings: EchoedSamplingSettings?

    public init(
        text: String, promptTokens: Int, completionTokens: Int, finishReason: FinishReason,
        model: String, latency: Duration, endpoint: String, api: ServerAPI, attempts: Int = 1,
        cachedPromptTokens: Int? = nil, serverSettings: EchoedSamplingSettings? = nil
    ) {
        self.text = text
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.finishReason = finishReason
        self.model = model
        self.latency = latency
        self.endpoint = endpoint
        self.api = api
        self.attempts = attempts
        self.cachedPromptTokens = cachedPromptTokens
        self.serverSettings = serverSettings
    }
}
