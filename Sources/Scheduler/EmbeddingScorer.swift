import Fidelity
import Inference
import Logging

/// The `embedding` fidelity scorer: asks an embeddings server for caption and rewrite vectors
/// and scores their cosine (`EmbeddingFidelity`).
///
/// A caption's vector is fetched once and shared by every rewrite of it (its styles' tasks and
/// their re-samples), including by tasks that ask while the first fetch is still under way.
/// The first fetch carries the first rewrite along in the same request. The cache holds the
/// captions of the shard being worked; `forgetCaptions()` empties it between shards.
public actor EmbeddingScorer {
    public let client: EmbeddingClient
    /// The stored scorer name, `embedding:<model>`.
    public nonisolated let name: String
    let retry: ExponentialJitterRetry
    private let cosine = EmbeddingFidelity()
    /// Per caption id: the fetch of [caption, first rewrite]; only the caption's vector is reused.
    private var captions: [Int64: Task<[[Float]], any Error>] = [:]

    public init(client: EmbeddingClient, retry: ExponentialJitterRetry) {
        self.client = client
        self.retry = retry
        name = EmbeddingFidelity.name(model: client.model)
    }

    /// Connects to the server (readiness, model name, a probe embedding) and checks that a
    /// text's vector does not depend on what it is batched with.
    public static func connect(
        _ configuration: ServerConfiguration, session: InferenceSession, logger: Logger,
        batchSize: Int = EmbeddingClient.defaultBatchSize,
        retry: ExponentialJitterRetry
    ) async throws -> EmbeddingScorer {
        let client = try await session.connectEmbedding(
            configuration, logger: logger, readinessTimeout: .seconds(300),
            batchSize: batchSize, retry: retry)
        let scorer = EmbeddingScorer(client: client, retry: retry)
        try await scorer.checkBatchIndependence()
        return scorer
    }

    /// llama.cpp's server (the build scripts/llama-server.sh makes, at least) pools wrong
    /// vectors when sequences of different lengths share a decode batch, which happens with
    /// `--parallel` over 1: measured up to 0.3 off in cosine, enough to flip the guard. Batched
    /// and alone, one text's vectors must agree; a GPU's reordered sums stay above 0.999.
    func checkBatchIndependence() async throws {
        // A pair seen to come out 0.62 apart from itself on two slots.
        let texts = ["tulip field in the spring", "a tulip field filled with blossoms."]
        let together = try await client.embedBatch(texts, retry: retry).vectors
        for (text, batched) in zip(texts, together) {
            let alone = try await client.embedBatch([text], retry: retry).vectors[0]
            let agreement = try similarity(alone, batched)
            guard agreement >= 0.999 else {
                throw InferenceError(
                    kind: .configuration, endpoint: client.endpoint,
                    detail: """
                        a text's embedding changes with its batch (cosine \((agreement * 10000).rounded() / 10000) to itself): \
                        scores would be wrong; start llama-server with --parallel 1
                        """)
            }
        }
    }

    /// One rewrite of caption `id`. Errors are the server's `InferenceError` after retries, or
    /// `CancellationError`.
    public func score(caption id: Int64, text: String, rewrite: String) async throws -> Double {
        // Servers refuse empty inputs. An empty caption has nothing to drop, as in `lexical`.
        if text.isEmpty { return 1 }
        if rewrite.isEmpty { return 0 }
        if let fetch = captions[id] {
            let caption = try await value(of: fetch, caption: id)[0]
            return try similarity(caption, try await client.embed([rewrite], retry: retry)[0])
        }
        let fetch = Task { [client, retry] in try await client.embed([text, rewrite], retry: retry) }
        captions[id] = fetch
        let both = try await value(of: fetch, caption: id)
        return try similarity(both[0], both[1])
    }

    /// Scores many stored pairs (`laclip score`): each distinct caption is embedded once, and
    /// captions and rewrites go `client.batchSize` to a request. Scores come in pair order.
    public func score(pairs: [(caption: Int64, text: String, rewrite: String)]) async throws -> [Double] {
        var captionTexts: [Int64: String] = [:]
        var order: [Int64] = []
        for pair in pairs where !pair.text.isEmpty && captionTexts.updateValue(pair.text, forKey: pair.caption) == nil {
            order.append(pair.caption)
        }
        let captionVectors = try await client.embed(order.map { captionTexts[$0]! }, retry: retry)
        let byCaption = Dictionary(uniqueKeysWithValues: zip(order, captionVectors))
        // Rewrites a batch at a time, so only one batch of their vectors is held at once.
        let scored = pairs.indices.filter { !pairs[$0].text.isEmpty && !pairs[$0].rewrite.isEmpty }
        var scores = pairs.map { $0.text.isEmpty ? 1.0 : 0.0 }
        var start = 0
        while start < scored.count {
            let batch = scored[start..<min(start + client.batchSize, scored.count)]
            let vectors = try await client.embedBatch(batch.map { pairs[$0].rewrite }, retry: retry).vectors
            for (index, vector) in zip(batch, vectors) {
                scores[index] = try similarity(byCaption[pairs[index].caption]!, vector)
            }
            start += batch.count
        }
        return scores
    }

    /// Drops the cached caption vectors (the shard they belong to is done).
    public func forgetCaptions() {
        captions.removeAll()
    }

    private func value(of fetch: Task<[[Float]], any Error>, caption id: Int64) async throws -> [[Float]] {
        do {
            return try await withTaskCancellationHandler {
                try await fetch.value
            } onCancel: {
                fetch.cancel()
            }
        } catch {
            // A failed fetch is not kept: the next sample or task asks again.
            if captions[id] == fetch { captions[id] = nil }
            throw error
        }
    }

    private func similarity(_ caption: [Float], _ rewrite: [Float]) throws -> Double {
        guard caption.count == rewrite.count else {
            // Possible only if the server's model changed between two requests.
            throw InferenceError(
                kind: .malformedResponse, endpoint: client.endpoint,
                detail: "/v1/embeddings: caption vector of \(caption.count) dimensions, rewrite of \(rewrite.count)")
        }
        return cosine.score(caption: caption, rewrite: rewrite)
    }
}
