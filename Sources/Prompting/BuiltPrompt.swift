/// A prompt ready to send, with what the validator and the inspection command need to know.
public struct BuiltPrompt: Sendable, Equatable {
    /// The exact prompt text.
    public var text: String
    /// Tokens in `text` by the builder's counter (an estimate unless `tokenCountIsExact`).
    public var tokenCount: Int
    /// True when the caption was cut to fit the budget.
    public var truncated: Bool
    public var tokenCountIsExact: Bool
    /// The caption as it appears in the prompt: line breaks made spaces, trimmed, maybe cut.
    public var caption: String
    /// The outputs shown in the prompt, in order: a completion copying one is rejected.
    public var demonstrationOutputs: [String]

    public init(
        text: String, tokenCount: Int, truncated: Bool, tokenCountIsExact: Bool,
        caption: String, demonstrationOutputs: [String]
    ) {
        self.text = text
        self.tokenCount = tokenCount
        self.truncated = truncated
        self.tokenCountIsExact = tokenCountIsExact
        self.caption = caption
        self.demonstrationOutputs = demonstrationOutputs
    }
}
