import AsyncHTTPClient
import Logging
import NIOCore

/// Builds the shared HTTP client and connects `CompletionClient`s, detecting the API on `.auto`.
public enum InferenceClientFactory {
    /// One pooled keep-alive client for all servers. The per-host soft limit is what lets dozens
    /// of requests to one server be in flight at once (AsyncHTTPClient's default is 8).
    /// Connection establishment is not retried inside the client: a refused connection must fail
    /// fast so the endpoint pool can route around it. The caller owns `shutdown()`.
    public static func makeHTTPClient(
        maxConnectionsPerHost: Int = 64,
        idleTimeout: Duration = .seconds(60)
    ) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: idleTimeout.timeAmount,
            concurrentHTTP1ConnectionsPerHostSoftLimit: maxConnectionsPerHost)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(5))
        configuration.httpVersion = .http1Only
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Waits for `/health`, resolves `.auto`, and for the OpenAI API without a configured model
    /// takes the first name `/v1/models` lists.
    public static func connect(
        _ configuration: ServerConfiguration, httpClient: HTTPClient, logger: Logger,
        readinessTimeout: Duration = .seconds(120)
    ) async throws -> any CompletionClient {
        let connection = ServerConnection(httpClient: httpClient, configuration: configuration, logger: logger)
        let probe = LlamaCppCompletionClient(configuration: configuration, httpClient: httpClient, logger: logger)
        try await probe.waitUntilReady(timeout: readinessTimeout)

        var api = configuration.api
        if api == .auto {
            api = try await connection.looksLikeLlamaCpp() ? .llamaCpp : .openAI
            logger.info("detected server API", metadata: ["endpoint": "\(connection.endpoint)", "api": "\(api)"])
        }
        switch api {
        case .llamaCpp, .auto:
            return probe
        case .openAI:
            var resolved = configuration
            if resolved.model == nil { resolved.model = try await connection.firstModelName() }
            return OpenAICompletionsClient(configuration: resolved, httpClient: httpClient, logger: logger)
        }
    }
}
