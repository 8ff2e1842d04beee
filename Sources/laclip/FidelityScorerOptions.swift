import ArgumentParser
import Inference
import Scheduler

/// The scorer options `run` and `score` share: which fidelity scorer, and where the embedding
/// one finds its server.
struct FidelityScorerOptions: ParsableArguments {
    @Option(
        help: "Fidelity scorer: lexical (content words kept, no model) or embedding (cosine from --embedding-server).")
    var fidelity: FidelityScorerKind = .lexical

    @Option(help: "Base URL of an OpenAI-compatible /v1/embeddings server, for --fidelity embedding.")
    var embeddingServer: String?

    @Option(help: "Model name sent to the embedding server (default: the first it lists; stored as embedding:NAME).")
    var embeddingModel: String?

    /// `--fidelity embedding` needs its server, and the embedding options mean nothing without it.
    func validate() throws {
        switch fidelity {
        case .embedding:
            guard let embeddingServer else {
                throw ValidationError("--fidelity embedding needs --embedding-server URL")
            }
            do {
                _ = try ServerConfiguration(url: embeddingServer)
            } catch {
                throw ValidationError("--embedding-server: \(error)")
            }
        case .lexical:
            if embeddingServer != nil || embeddingModel != nil {
                throw ValidationError("--embedding-server and --embedding-model are for --fidelity embedding")
            }
        }
    }

    /// The embedding server's configuration; nil for lexical.
    func embeddingConfiguration(requestTimeout: Int) throws -> ServerConfiguration? {
        guard fidelity == .embedding, let embeddingServer else { return nil }
        return try ServerConfiguration(
            url: embeddingServer, api: .openAI, model: embeddingModel, requestTimeout: .seconds(requestTimeout))
    }
}
