import Fidelity
import Foundation
import Inference
import Prompting
import RewriteQueue

/// Turns one claimed task into an outcome: builds its prompt from the job's own draw and meta
/// pairs, asks the endpoint pool, validates, and re-samples with a new seed when the
/// completion is rejected.
struct TaskRewriter: Sendable {
    let pool: EndpointPool
    let builder: PromptBuilder
    let validator = CompletionValidator()
    let sources: [Int: MetaPairSource]
    let jobSeed: UInt64
    let resamples: Int
    /// The guard: a valid rewrite scoring under it is re-sampled (`drops_content`); when every
    /// sample falls short, the best-scoring valid one is kept, marked by this threshold.
    let minFidelity: Double?
    let scorer = LexicalFidelity()
    /// The `embedding` scorer; nil scores `lexical`.
    let embedding: EmbeddingScorer?
    let retry: ExponentialJitterRetry
    let recorder: RunRecorder?

    func rewrite(_ task: ClaimedTask) async -> TaskOutcome {
        guard let source = sources[task.id.style] else {
            return .failed(
                TaskFailure(
                    task: task, reason: "unknown_style", detail: "style \(task.id.style) is not in the job",
                    permanent: true), resamples: 0)
        }
        let prompt: BuiltPrompt
        do {
            prompt = try await builder.build(
                caption: task.caption, draw: DemonstrationDraw(packed: task.draw), source: source)
        } catch is CancellationError {
            return .released(task, allEndpointsDown: false)
        } catch {
            return .failed(
                TaskFailure(task: task, reason: "prompt_error", detail: "\(error)", permanent: true), resamples: 0)
        }
        var rejection = RejectionReason.empty
        var rejected = ""
        let captionWords = ContentWords(task.caption)
        // The best valid sample so far, kept in case every sample falls short of minFidelity.
        var best: TaskResult?
        var contentRejections = 0
        for sample in 0...resamples {
            let seed = RequestSeed.make(
                jobSeed: jobSeed, caption: task.id.caption, style: task.id.style, sample: sample)
            do {
                let response = try await pool.complete(CompletionRequest(prompt: prompt.text, seed: seed), retry: retry)
                await recorder?.noteResponse(response)
                switch validator.validate(
                    response.text, input: task.caption, demonstrationOutputs: prompt.demonstrationOutputs)
                {
                case .success(let text):
                    var result = TaskResult(
                        task: task, text: text, model: response.model, seed: Int64(seed),
                        promptTokens: response.promptTokens, completionTokens: response.completionTokens,
                        latencyMs: Double(response.latency.components.seconds) * 1000
                            + Double(response.latency.components.attoseconds) / 1e15,
                        finishReason: "\(response.finishReason)")
                    let score: Double
                    if let embedding {
                        do {
                            score = try await embedding.score(
                                caption: task.id.caption, text: task.caption, rewrite: text)
                        } catch let error as InferenceError {
                            // The completion is lost with the attempt, as for a completion
                            // that failed after its retries; the reason names the scorer's server.
                            return .failed(
                                TaskFailure(
                                    task: task, reason: "embedding_" + Self.reasonCode(error),
                                    detail: error.description, permanent: !error.isRetryable),
                                resamples: sample)
                        }
                        result.scorer = embedding.name
                    } else {
                        score = scorer.score(caption: captionWords, rewrite: ContentWords(text))
                        result.scorer = LexicalFidelity.name
                    }
                    result.fidelity = score
                    result.minFidelity = minFidelity
                    result.resamples = sample
                    result.contentResamples = contentRejections
                    guard let minFidelity, score < minFidelity else { return .done(result, resamples: sample) }
                    if score > best?.fidelity ?? -1 { best = result }
                    contentRejections += 1
                    rejection = .dropsContent
                    rejected = text
                case .failure(let reason):
                    rejection = reason
                    rejected = response.text
                }
            } catch let error as InferenceError {
                if error.kind == .allEndpointsDown { return .released(task, allEndpointsDown: true) }
                return .failed(
                    TaskFailure(
                        task: task, reason: Self.reasonCode(error), detail: error.description,
                        permanent: !error.isRetryable), resamples: sample)
            } catch is CancellationError {
                return .released(task, allEndpointsDown: false)
            } catch {
                return .failed(TaskFailure(task: task, reason: "internal", detail: "\(error)"), resamples: sample)
            }
        }
        if var best {
            // Every sample fell short: the best valid one is still a rewrite; its score under
            // minFidelity marks it, and the export decides what to do with it.
            // The other samples are its re-samples; the kept one was itself a content rejection.
            best.resamples = resamples
            best.contentResamples = contentRejections - 1
            return .done(best, resamples: resamples)
        }
        let shown = rejected.count > 160 ? String(rejected.prefix(160)) + "…" : rejected
        return .failed(
            TaskFailure(task: task, reason: rejection.rawValue, detail: "last completion: \(shown)"),
            resamples: resamples)
    }

    /// Short codes for the failure log, `laclip retry --reason` and the status report.
    static func reasonCode(_ error: InferenceError) -> String {
        switch error.kind {
        case .httpStatus(let status): "http_\(status)"
        case .timeout: "timeout"
        case .connectionFailed: "connection"
        case .malformedResponse: "malformed_response"
        case .notReady: "not_ready"
        case .unsupported: "unsupported"
        case .allEndpointsDown: "all_endpoints_down"
        case .configuration: "configuration"
        }
    }
}
