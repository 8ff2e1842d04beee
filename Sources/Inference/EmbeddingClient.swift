import AsyncHTTPClient
import Logging

/// OpenAI-compatible `POST /v1/embeddings` (llama.cpp with `--embeddings`, vLLM, TEI, Ollama),
/// on the same HTTP stack, deadlines and error classification as the completion clients.
public struct EmbeddingClient: Sendable {
    let connection: ServerConnection
    /// The `model` field; nil omits it.
    public let model: String?
    /// Inputs sent in one request by `embed(_:retry:)`. Servers cap a request (llama.cpp by its
    /// batch size per input, TEI by `--max-client-batch-size`, 32 by default), so bigger jobs
    /// are split rather than refused.
    public let batchSize: Int

    public static let defaultBatchSize = 32

    public init(
        configuration: ServerConfiguration, httpClient: HTTPClient, logger: Logger,
        batchSize: Int = EmbeddingClient.defaultBatchSize
    ) {
        precondition(batchSize > 0, "an embedding batch holds at least one input")
        connection = ServerConnection(httpClient: httpClient, configuration: configuration, logger: logger)
        model = configuration.model
        self.batchSize = batchSize
    }

    /// Base URL for logs and errors, without credentials.
    public var endpoint: String { connection.endpoint }

    /// Waits for `/health`, takes the first name `/v1/models` lists when no model is configured
    /// (vLLM and Ollama need one; a server without the list gets none), and embeds one probe
    /// text, so that a server started without embeddings fails the run at once, not every task.
    public static func connect(
        _ configuration: ServerConfiguration, httpClient: HTTPClient, logger: Logger,
        readinessTimeout: Duration = .seconds(120), batchSize: Int = EmbeddingClient.defaultBatchSize,
        retry: some RetryStrategy = .exponentialJitter()
    ) async throws -> EmbeddingClient {
        let probe = LlamaCppCompletionClient(configuration: configuration, httpClient: httpClient, logger: logger)
        try await probe.waitUntilReady(timeout: readinessTimeout)
        var resolved = configuration
        if resolved.model == nil {
            let connection = ServerConnection(httpClient: httpClient, configuration: configuration, logger: logger)
            resolved.model = try? await connection.firstModelName()
        }
        let client = EmbeddingClient(
            configuration: resolved, httpClient: httpClient, logger: logger, batchSize: batchSize)
        _ = try await client.embed(["probe"], retry: retry)
        return client
    }

    /// One request for `inputs` (at most what the server takes at once), no retry: errors are
    /// `InferenceError` (classified) or `CancellationError`.
    public func embedBatch(_ inputs: [String]) async throws -> EmbeddingResponse {
        let path = "/v1/embeddings"
        guard !inputs.isEmpty else { return EmbeddingResponse(vectors: [], model: model, promptTokens: 0) }
        let raw = try await connection.post(path, json: EmbeddingBody(model: model, input: inputs))
        // A server without embeddings (llama.cpp without `--embeddings` answers 501) will not
        // grow them on a retry.
        if [404, 405, 501].contains(raw.status) {
            throw InferenceError(
                kind: .unsupported, endpoint: endpoint,
                detail:
                    "HTTP \(raw.status): no \(path) here (llama-server needs --embeddings): \(connection.snippet(raw.body))"
            )
        }
        let answer = try connection.decode(EmbeddingAnswer.self, from: raw, path: path)
        return EmbeddingResponse(
            vectors: try answer.vectors(count: inputs.count, endpoint: endpoint, path: path),
            model: answer.model ?? model, promptTokens: answer.usage?.prompt_tokens ?? 0)
    }

    /// Every input's vector, in input order: `batchSize` inputs per request, each request
    /// retried on connection errors, timeouts, 5xx, 408 and 429 as `retry` allows.
    public func embed(_ inputs: [String], retry: some RetryStrategy) async throws -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(inputs.count)
        var start = 0
        while start < inputs.count {
            let batch = Array(inputs[start..<min(start + batchSize, inputs.count)])
            let response = try await embedBatch(batch, retry: retry)
            if let first = vectors.first, let next = response.vectors.first, next.count != first.count {
                throw InferenceError(
                    kind: .malformedResponse, endpoint: endpoint,
                    detail: "/v1/embeddings: vectors of \(first.count) then \(next.count) dimensions")
            }
            vectors += response.vectors
            start += batch.count
        }
        return vectors
    }

    /// One batch, retried as `retry` allows; the result and a final error carry the attempts.
    public func embedBatch(_ inputs: [String], retry: some RetryStrategy) async throws -> EmbeddingResponse {
        var attempt = 0
        while true {
            attempt += 1
            do {
                var response = try await embedBatch(inputs)
                response.attempts = attempt
                return response
            } catch var failure as InferenceError {
                failure.attempts = attempt
                guard failure.isRetryable, let wait = retry.delay(afterAttempt: attempt, failure: failure) else {
                    throw failure
                }
                connection.logger.debug(
                    "embedding request failed, retrying",
                    metadata: ["error": "\(failure)", "attempt": "\(attempt)", "wait": "\(wait)"])
                try await Task.sleep(for: wait)
            }
        }
    }

    public func health() async throws -> ServerHealth { try await connection.health() }
}
