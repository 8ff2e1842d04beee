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

    /// Decoding slots: llama.cpp's `total_slots` on `/props`, else the length of its `/slots`
    /// list (older builds, or a proxy that forwards only some paths). nil when neither says.
    func slotCount() async throws -> Int? {
        let response = try await get("/props")
        if (200..<300).contains(response.status),
            let slots = try decode(LlamaCppProps.self, from: response, path: "/props").total_slots
        {
            return slots
        }
        guard [200, 404, 405, 501].contains(response.status) else { throw statusError(response, path: "/props") }
        let listed = try await get("/slots")
        guard (200..<300).contains(listed.status),
            let slots = try? JSONDecoder().decode([SlotEntry].self, from: listed.body), !slots.isEmpty
        else { return nil }
        return slots.count
    }

    /// `/metrics` as a queue reading; nil when the server has none (llama.cpp answers 501
    /// without `--metrics`) or its metrics do not include the queue gauges.
    func serverLoad() async throws -> ServerLoad? {
        let response = try await get("/metrics")
        guard (200..<300).contains(response.status) else { return nil }
        return ServerLoad.parse(prometheus: String(decoding: response.body, as: UTF8.self))
    }

    /// True when `/props` is llama.cpp's: the server's own API then is the native one.
    func looksLikeLlamaCpp() async throws -> Bool {
        let response = try await get("/props")
        guard (200..<300).contains(response.status),
            let props = try? JSONDecoder().decode(LlamaCppProps.self, from: response.body)
        else { return false }
        return props.total_slots != nil || props.default_generation_settings != nil
    }

    func countTokens(_ text: String, model: String?) async throws -> Int {
        let body = TokenizeBody(
            content: text, prompt: text, add_special: false, add_special_tokens: false, model: model)
        let response = try await post("/tokenize", json: body, timeout: configuration.probeTimeout)
        if response.status == 404 || response.status == 405 {
            throw InferenceError(kind: .unsupported, endpoint: endpoint, detail: "no /tokenize on this server")
        }
        let answer = try decode(TokenizeAnswer.self, from: response, path: "/tokenize")
        if let count = answer.count { return count }
        if let tokens = answer.tokens { return tokens.count }
        throw InferenceError(
            kind: .malformedResponse, endpoint: endpoint,
            detail: "/tokenize: neither tokens nor count in \(snippet(response.body))")
    }

    func firstModelName() async throws -> String? {
        let response = try await get("/v1/models")
        guard (200..<300).contains(response.status) else { return nil }
        return try decode(OpenAIModelList.self, from: response, path: "/v1/models").data.first?.id
    }
}
