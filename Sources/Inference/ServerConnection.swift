import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The HTTP plumbing both clients share: one base URL on a shared pooled `HTTPClient`, deadlines,
/// the bearer header, and the mapping of every transport failure to an `InferenceError`.
struct ServerConnection: Sendable {
    let httpClient: HTTPClient
    let configuration: ServerConfiguration
    let logger: Logger

    /// Bodies beyond this are not a completion answer; refusing them bounds memory.
    static let maxBodyBytes = 8 << 20

    var endpoint: String { configuration.displayEndpoint }

    struct RawResponse: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
    }

    func get(_ path: String, timeout: Duration? = nil) async throws -> RawResponse {
        try await send(.GET, path, body: nil, timeout: timeout ?? configuration.probeTimeout)
    }

    func post<Body: Encodable>(_ path: String, json: Body, timeout: Duration? = nil) async throws -> RawResponse {
        let data: Data
        do {
            data = try JSONEncoder().encode(json)
        } catch {
            throw InferenceError(kind: .configuration, endpoint: endpoint, detail: "cannot encode request: \(error)")
        }
        return try await send(.POST, path, body: data, timeout: timeout ?? configuration.requestTimeout)
    }

    func send(_ method: HTTPMethod, _ path: String, body: Data?, timeout: Duration) async throws -> RawResponse {
        var base = configuration.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        if let apiKey = configuration.apiKey {
            request.headers.add(name: "Authorization", value: apiKey.authorizationHeader)
        }
        let client = httpClient
        let prepared = request
        do {
            // AsyncHTTPClient's deadline stops applying once the head has arrived, so a server
            // that stalls mid-body would hang the call: the race below bounds the whole exchange.
            return try await withThrowingTaskGroup(of: RawResponse?.self) { group in
                group.addTask {
                    let response = try await client.execute(prepared, deadline: .now() + timeout.timeAmount)
                    let buffer = try await response.body.collect(upTo: Self.maxBodyBytes)
                    return RawResponse(
                        status: Int(response.status.code), headers: response.headers,
                        body: Data(buffer.readableBytesView))
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let response = first else {
                    throw InferenceError(
                        kind: .timeout, endpoint: endpoint,
                        detail: "\(path): no complete answer within \(timeout)")
                }
                return response
            }
        } catch {
            throw classify(error, path: path)
        }
    }

    /// Decodes a 2xx body, or throws the classified status error with a bounded, scrubbed snippet.
    func decode<T: Decodable>(_ type: T.Type, from response: RawResponse, path: String) throws -> T {
        guard (200..<300).contains(response.status) else { throw statusError(response, path: path) }
        do {
            return try JSONDecoder().decode(T.self, from: response.body)
        } catch {
            let failure = InferenceError(
                kind: .malformedResponse, endpoint: endpoint,
                detail: "\(path): \(snippet(response.body))")
            logger.warning("malformed response body", metadata: ["error": "\(failure)"])
            throw failure
        }
    }

    func statusError(_ response: RawResponse, path: String) -> InferenceError {
        let retryAfter = response.headers.first(name: "Retry-After").flatMap(Int.init).map { Duration.seconds($0) }
        return InferenceError(
            kind: .httpStatus(response.status), endpoint: endpoint,
            detail: "\(path): \(snippet(response.body))", retryAfter: retryAfter)
    }

    func snippet(_ body: Data) -> String {
        let prefix = body.prefix(InferenceError.detailLimit * 4)
        let text = String(decoding: prefix, as: UTF8.self)
        let scrubbed = configuration.apiKey?.redact(text) ?? text
        return body.count > prefix.count ? scrubbed + "…" : scrubbed
    }

    func classify(_ error: any Error, path: String) -> any Error {
        if let already = error as? InferenceError { return already }
        if error is CancellationError { return error }
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .getConnectionFromPoolTimeout:
                return InferenceError(kind: .timeout, endpoint: endpoint, detail: "\(path): \(clientError)")
            case .cancelled:
                // The caller's task was cancelled: not a server fault, so not an InferenceError.
                if Task.isCancelled { return CancellationError() }
                return InferenceError(kind: .connectionFailed, endpoint: endpoint, detail: "\(path): cancelled")
            case .invalidURL, .emptyHost, .emptyScheme, .alreadyShutdown, .missingSocketPath,
                .invalidHTTPVersionConfiguration, .invalidRedirectConfiguration:
                return InferenceError(kind: .configuration, endpoint: endpoint, detail: "\(path): \(clientError)")
            default:
                return InferenceError(kind: .connectionFailed, endpoint: endpoint, detail: "\(path): \(clientError)")
            }
        }
        // NIO's IOError (ECONNREFUSED, ECONNRESET), ChannelError, NIOConnectionError and HTTP
        // parser errors on a cut-off body all mean "the exchange broke": worth another try.
        let text = configuration.apiKey?.redact(String(describing: error)) ?? String(describing: error)
        return InferenceError(kind: .connectionFailed, endpoint: endpoint, detail: "\(path): \(text)")
    }
}

extension Duration {
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    var secondsDouble: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
