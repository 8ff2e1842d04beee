import Foundation

/// How to reach one inference server.
public struct ServerConfiguration: Sendable {
    public var baseURL: URL
    public var api: ServerAPI
    /// Sent as `model` on the OpenAI path; nil asks `/v1/models` (vLLM requires a served name).
    public var model: String?
    public var apiKey: APIKey?
    /// Whole-request deadline for one completion attempt (connect, queue, generate, body).
    public var requestTimeout: Duration
    /// Shorter deadline for `/health`, `/props`, `/tokenize` and `/v1/models`.
    public var probeTimeout: Duration
    /// On the OpenAI path, also send the llama.cpp/vLLM sampler fields that switch off top-k,
    /// min-p, penalties and the like. Turn off only for a server that rejects unknown fields.
    public var sendsExtraSamplerFields: Bool

    public init(
        baseURL: URL, api: ServerAPI = .auto, model: String? = nil, apiKey: APIKey? = nil,
        requestTimeout: Duration = .seconds(120), probeTimeout: Duration = .seconds(5),
        sendsExtraSamplerFields: Bool = true
    ) {
        self.baseURL = baseURL
        self.api = api
        self.model = model
        self.apiKey = apiKey
        self.requestTimeout = requestTimeout
        self.probeTimeout = probeTimeout
        self.sendsExtraSamplerFields = sendsExtraSamplerFields
    }

    /// Accepts `http://host:port` with or without a trailing `/` or `/v1` (OpenAI clients are often
    /// configured with the `/v1` base; the paths here are added explicitly).
    public init(
        url: String, api: ServerAPI = .auto, model: String? = nil, apiKey: APIKey? = nil,
        requestTimeout: Duration = .seconds(120)
    ) throws {
        var trimmed = url.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        if trimmed.hasSuffix("/v1") { trimmed.removeLast(3) }
        guard let parsed = URL(string: trimmed), let scheme = parsed.scheme?.lowercased(),
            scheme == "http" || scheme == "https", parsed.host != nil
        else {
            throw InferenceError(
                kind: .configuration, endpoint: "-",
                detail: "not an http(s) server URL: \(Self.displayString(forUnparsed: url))")
        }
        self.init(baseURL: parsed, api: api, model: model, apiKey: apiKey, requestTimeout: requestTimeout)
    }

    /// The base URL as shown in logs and errors: user and password dropped.
    public var displayEndpoint: String { Self.display(baseURL) }

    static func display(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "<url>" }
        components.user = nil
        components.password = nil
        components.query = nil
        return components.string ?? "<url>"
    }

    static func displayString(forUnparsed text: String) -> String {
        // Keep scheme://host but drop anything that could be user:password@.
        if let at = text.firstIndex(of: "@"), let scheme = text.range(of: "://") {
            return String(text[..<scheme.upperBound]) + "…" + String(text[text.index(after: at)...])
        }
        return text
    }
}
