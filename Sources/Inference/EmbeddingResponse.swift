/// The embeddings of one batch of inputs, in input order.
public struct EmbeddingResponse: Sendable {
    /// One vector per input, all of the same length.
    public var vectors: [[Float]]
    /// The name the server reports for its model (llama.cpp: the file path or alias).
    public var model: String?
    public var promptTokens: Int
    /// Attempts spent on the batch (1 for a first-try success).
    public var attempts: Int

    public init(vectors: [[Float]], model: String?, promptTokens: Int, attempts: Int = 1) {
        self.vectors = vectors
        self.model = model
        self.promptTokens = promptTokens
        self.attempts = attempts
    }
}
