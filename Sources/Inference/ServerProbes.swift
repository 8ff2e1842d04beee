import Foundation

/// Requests that mean the same on both clients: health, slots, tokenize, model list.
extension ServerConnection {
    func health() async throws -> ServerHealth {
        let response = try await get("/health")
        switch response.status {
        case 200..<300: return .ready
        case 503: return .loading
        case 404:
            // Ollama and some proxies have no /health: a model list means the server is up.
            let models = try await get("/v1/models")
            if (200..<300).contains(models.status) { return .ready }
            throw statusError(models, path: "/v1/models")
        default:
            throw statusError(response, path: "/health")
        }
    }

    func slotCount() async throws -> Int? {
        let response = try await get("/props")
        if response.status == 404 || response.status == 405 { return nil }
        let props = try decode(LlamaCppProps.self, from: response, path: "/props")
        return props.total_slots
    }

    /// True when `/props` is llama.cpp's: the server's own API then is the native one.
    func looksLikeLlamaCpp() async throws -> Bool {
        let response = try await get("/props")
        guard (200..<300).contains(response.status),
              let props = try? JSONDecoder().decode(LlamaCppProps.self, from: response.body) else { return false }
        return props.total_slots != nil || props.default_generation_settings != nil
    }

    func countTokens(_ text: String, model: String?) async throws -> Int {
        let body = TokenizeBody(content: text, prompt: text, add_special: false, add_special_tokens: false, model: model)
        let response = try await post("/tokenize", json: body, timeout: configuration.probeTimeout)
        if response.status == 404 || response.status == 405 {
            throw InferenceError(kind: .unsupported, endpoint: endpoint, detail: "no /tokenize on this server")
        }
        let answer = try decode(TokenizeAnswer.self, from: response, path: "/tokenize")
        if let count = answer.count { return count }
        if let tokens = answer.tokens { return tokens.count }
        throw InferenceError(kind: .malformedResponse, endpoint: endpoint,
                             detail: "/tokenize: neither tokens nor count in \(snippet(response.body))")
    }

    func firstModelName() async throws -> String? {
        let response = try await get("/v1/models")
        guard (200..<300).contains(response.status) else { return nil }
        return try decode(OpenAIModelList.self, from: response, path: "/v1/models").data.first?.id
    }
}
