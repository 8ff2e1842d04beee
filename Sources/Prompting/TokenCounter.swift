/// Counts the tokens of a prompt as the serving model sees them (including any BOS token the
/// server adds), so the builder can hold prompts within the paper's 400-token cap.
///
/// Implementations backed by a server's tokenizer (llama.cpp `/tokenize`) report `isExact`;
/// the builder then calls `countTokens` O(log n) times per truncated prompt, and once for a
/// prompt that fits.
public protocol TokenCounter: Sendable {
    func countTokens(_ text: String) async throws -> Int
    /// True when the count comes from the model's own tokenizer; false for estimates.
    var isExact: Bool { get }
}
