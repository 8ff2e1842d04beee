/// Why generation ended, normalised across servers: llama.cpp's native `stop_type` values
/// `eos` and `word` become `stop`, `limit` becomes `length` (the OpenAI names).
public struct FinishReason: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// End of sequence or a stop string (the newline).
    public static let stop = FinishReason(rawValue: "stop")
    /// The max-tokens limit was reached before a stop.
    public static let length = FinishReason(rawValue: "length")

    public var description: String { rawValue }
}
