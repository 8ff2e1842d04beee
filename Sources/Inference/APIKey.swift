import Foundation

/// A bearer token read from an environment variable. Its value never leaves this type except as
/// the `Authorization` header: descriptions, dumps and error details show only the variable name.
public struct APIKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let environmentVariable: String
    let value: String

    /// Throws `InferenceError` (`.configuration`) when the variable is unset or empty; the message
    /// names the variable, never a value.
    public init(
        environmentVariable: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        guard let value = environment[environmentVariable], !value.isEmpty else {
            throw InferenceError(
                kind: .configuration, endpoint: "-",
                detail: "environment variable \(environmentVariable) is not set or empty")
        }
        self.environmentVariable = environmentVariable
        self.value = value
    }

    public var description: String { "API key from $\(environmentVariable)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["environmentVariable": environmentVariable]) }

    var authorizationHeader: String { "Bearer \(value)" }

    /// Servers sometimes echo the key in an error body ("invalid key sk-..."): cut it out.
    func redact(_ text: String) -> String {
        guard value.count >= 4 else { return text }
        return text.replacingOccurrences(of: value, with: "<redacted>")
    }
}
