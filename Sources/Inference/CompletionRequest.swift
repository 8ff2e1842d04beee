/// One completion to generate. The defaults are LaCLIP's decoding settings (temperature 0.9,
/// top-p 0.95, at most 77 new tokens); the clients turn every other sampler off.
public struct CompletionRequest: Sendable, Hashable, Codable {
    public static let paperMaxTokens = 77
    public static let paperTemperature = 0.9
    public static let paperTopP = 0.95

    public var prompt: String
    public var maxTokens: Int
    public var temperature: Double
    public var topP: Double
    /// Fixes the server's sampling RNG for this request; nil lets the server pick one.
    public var seed: UInt32?
    /// The rewrite is the first line of the completion, so stopping at the newline saves the
    /// tokens the paper's recipe generated and then threw away.
    public var stop: [String]
    /// Lets llama.cpp keep this prompt's KV cache so the next prompt with the same prefix
    /// (same demonstrations) skips re-evaluating it.
    public var cachePrompt: Bool

    public init(
        prompt: String,
        seed: UInt32? = nil,
        maxTokens: Int = CompletionRequest.paperMaxTokens,
        temperature: Double = CompletionRequest.paperTemperature,
        topP: Double = CompletionRequest.paperTopP,
        stop: [String] = ["\n"],
        cachePrompt: Bool = true
    ) {
        self.prompt = prompt
        self.seed = seed
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topP = topP
        self.stop = stop
        self.cachePrompt = cachePrompt
    }
}
