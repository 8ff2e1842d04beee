/// A snapshot of one endpoint in an `EndpointPool`, for status lines and tests.
public struct EndpointStatus: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        /// Takes requests.
        case available
        /// Failed `failureThreshold` times in a row; gets no requests until a probe succeeds.
        case setAside = "set_aside"
        /// A `/health` probe is under way.
        case probing
    }
    public var endpoint: String
    public var api: ServerAPI
    public var state: State
    /// Requests the server decodes at once (llama.cpp slots, else the pool's default).
    public var capacity: Int
    public var inFlight: Int
    public var consecutiveFailures: Int
    public var completed: Int
    public var failures: Int
    public var lastError: String?

    public var freeCapacity: Int { state == .available ? Swift.max(0, capacity - inFlight) : 0 }
}
