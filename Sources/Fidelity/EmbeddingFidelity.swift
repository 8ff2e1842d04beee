/// The `embedding` fidelity score: the cosine similarity of the caption's and the rewrite's
/// embeddings (from any `/v1/embeddings` model), clamped to [0, 1]. A negative cosine says no
/// more about kept content than an orthogonal one, so both score 0.
///
/// Its scale is the model's, not the share of words `LexicalFidelity` counts: a rewrite about
/// something else can still score well above 0 (README, "Fidelity", has what SmolLM2-135M gave),
/// so a threshold for one scorer means nothing for the other.
public struct EmbeddingFidelity: Sendable {
    public static let name = "embedding"

    public init() {}

    /// The stored scorer name, `embedding:<model>`, so scores of different models are not
    /// mistaken for one another. A model given as a file path (llama.cpp reports its
    /// `--model` argument) is named by its file; a served name (`BAAI/bge-small-en-v1.5`) stays whole.
    public static func name(model: String?) -> String {
        guard let model, !model.isEmpty else { return name }
        let isPath = model.hasPrefix("/") || model.hasPrefix(".") || model.hasSuffix(".gguf")
        let shown = isPath ? model.split(separator: "/").last.map(String.init) ?? model : model
        return "\(name):\(shown)"
    }

    /// Both vectors come from one model, so they have one length. A zero vector has no
    /// direction to compare: it scores 0.
    public func score(caption: [Float], rewrite: [Float]) -> Double {
        precondition(caption.count == rewrite.count, "embeddings of \(caption.count) and \(rewrite.count) dimensions")
        // Accumulate in Double: a few hundred Float products lose digits that 1 - cos needs.
        var dot = 0.0, captionNorm = 0.0, rewriteNorm = 0.0
        for i in caption.indices {
            let c = Double(caption[i]), r = Double(rewrite[i])
            dot += c * r
            captionNorm += c * c
            rewriteNorm += r * r
        }
        guard captionNorm > 0, rewriteNorm > 0 else { return 0 }
        let cosine = dot / (captionNorm.squareRoot() * rewriteNorm.squareRoot())
        return min(1, max(0, cosine))
    }
}
