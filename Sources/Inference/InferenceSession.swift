import AsyncHTTPClient
import Logging

/// The HTTP side of a command that talks to inference servers: one pooled keep-alive client
/// shared by every completion and embedding server it connects, shut down once at the end.
/// Callers hold a session, not an HTTP client, so only this module knows which HTTP library
/// carries the requests.
public final class InferenceSession: Sendable {
    private let http: HTTPClient

    public init(maxConnectionsPerHost: Int = 64) {
        http = InferenceClientFactory.makeHTTPClient(maxConnectionsPerHost: maxConnectionsPerHost)
    }

    /// Runs `body` with a new session and shuts the session down after, whether `body` returned
    /// or threw (the HTTP client must be shut down before it is released).
    public static func with<T>(_ body: (InferenceSession) async throws -> T) async throws -> T {
        let session = InferenceSession()
        let result: Result<T, any Error>
        do { result = .success(try await body(session)) } catch { result = .failure(error) }
        do {
            try await session.http.shutdown()
        } catch {
            // A failed shutdown only matters when the work itself succeeded.
            if case .success = result { throw error }
        }
        return try result.get()
    }

    /// See `InferenceClientFactory.connect`.
    public func connect(
        _ configuration: ServerConfiguration, logger: Logger,
        readinessTimeout: Duration = .seconds(120)
    ) async throws -> any CompletionClient {
        try await InferenceClientFactory.connect(
            configuration, httpClient: http, logger: logger, readinessTimeout: readinessTimeout)
    }

    /// See `EmbeddingClient.connect`.
    public func connectEmbedding(
        _ configuration: ServerConfiguration, logger: Logger, readinessTimeout: Duration = .seconds(120),
        batchSize: Int = EmbeddingClient.defaultBatchSize,
        retry: ExponentialJitterRetry
    ) async throws -> EmbeddingClient {
        try await EmbeddingClient.connect(
            configuration, httpClient: http, logger: logger, readinessTimeout: readinessTimeout,
            batchSize: batchSize, retry: retry)
    }
}
