/// A failed call to an inference server. `isRetryable` is the classification the retry loop and
/// the endpoint pool act on; `description` is safe to log (bounded, API key scrubbed).
public struct InferenceError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The server answered with a non-2xx status.
        case httpStatus(Int)
        /// The per-request timeout passed before the whole answer arrived.
        case timeout
        /// Refused, reset or closed connection, or a body cut short.
        case connectionFailed
        /// A 2xx body that is not the JSON the API promises.
        case malformedResponse
        /// `/health` did not report ready before the deadline.
        case notReady
        /// The server does not offer this endpoint (e.g. `/props` or `/tokenize` on vLLM/TGI).
        case unsupported
        /// Every endpoint of an `EndpointPool` is set aside: pause, do not spend attempts.
        case allEndpointsDown
        /// Bad URL, missing API-key variable and the like; retrying cannot help.
        case configuration
    }

    public let kind: Kind
    /// Base URL of the server involved, without credentials.
    public let endpoint: String
    /// Short human detail: a truncated, scrubbed body snippet or the transport error.
    public let detail: String
    /// From a `Retry-After` header on 429/503.
    public let retryAfter: Duration?
    /// Attempts spent on the request when this error ended it (set by `EndpointPool`).
    public var attempts: Int = 1

    /// Longest body excerpt kept in `detail`, so a huge HTML error page never floods a log.
    public static let detailLimit = 200

    public init(kind: Kind, endpoint: String, detail: String, retryAfter: Duration? = nil) {
        self.kind = kind
        self.endpoint = endpoint
        self.detail = InferenceError.truncate(detail)
        self.retryAfter = retryAfter
    }

    public var isRetryable: Bool {
        switch kind {
        case .httpStatus(let status):
            // 408 and 429 are the server asking to come back later; other 4xx mean this request
            // is wrong and will be wrong again.
            return status >= 500 || status == 408 || status == 429
        case .timeout, .connectionFailed, .malformedResponse, .notReady, .allEndpointsDown:
            return true
        case .unsupported, .configuration:
            return false
        }
    }

    public var description: String {
        let what: String
        switch kind {
        case .httpStatus(let status): what = "HTTP \(status)"
        case .timeout: what = "timed out"
        case .connectionFailed: what = "connection failed"
        case .malformedResponse: what = "malformed response"
        case .notReady: what = "not ready"
        case .unsupported: what = "unsupported"
        case .allEndpointsDown: what = "all endpoints down"
        case .configuration: what = "configuration error"
        }
        let retry = isRetryable ? "retryable" : "permanent"
        return detail.isEmpty ? "\(endpoint): \(what) (\(retry))" : "\(endpoint): \(what) (\(retry)): \(detail)"
    }

    static func truncate(_ text: String) -> String {
        let flattened = text.replacingOccurrences(of: "\n", with: " ")
        guard flattened.count > detailLimit else { return flattened }
        return String(flattened.prefix(detailLimit)) + "… [\(flattened.utf8.count) bytes]"
    }
}
