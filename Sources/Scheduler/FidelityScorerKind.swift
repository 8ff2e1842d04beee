/// Which fidelity scorer `laclip run` and `laclip score` use (`--fidelity`).
public enum FidelityScorerKind: String, Sendable, CaseIterable, CustomStringConvertible {
    /// The share of the caption's content words a rewrite keeps; no model needed.
    case lexical
    /// Cosine similarity of caption and rewrite from a `/v1/embeddings` server.
    case embedding

    public var description: String { rawValue }
}
