import Foundation
import Inference
import RewriteQueue
import Synchronization

/// Writes this run into the job's `runs` table: the decoding settings at the start, the
/// server's own account of them with the first answer that carries one, the summary at the end.
final class RunRecorder: Sendable {
    private let manifest: JobManifest
    private let run: Int64
    private let echoRecorded = Atomic<Bool>(false)

    struct Decoding: Codable {
        var temperature = CompletionRequest.paperTemperature
        var topP = CompletionRequest.paperTopP
        var maxTokens = CompletionRequest.paperMaxTokens
        var stop = ["\n"]
        var cachePrompt = true
        var endpoints: [String]
        var apis: [String]
        var tokenBudget: Int

        enum CodingKeys: String, CodingKey {
            case temperature, topP = "top_p", maxTokens = "max_tokens", stop, cachePrompt = "cache_prompt"
            case endpoints, apis, tokenBudget = "token_budget"
        }
    }

    init(manifest: JobManifest, worker: WorkerIdentity, clients: [any CompletionClient], tokenBudget: Int) throws {
        self.manifest = manifest
        let decoding = Decoding(
            endpoints: clients.map(\.endpoint), apis: clients.map { $0.api.rawValue }, tokenBudget: tokenBudget)
        run = try manifest.startRun(worker: worker.owner, decoding: Self.json(decoding))
    }

    func noteResponse(_ response: CompletionResponse) async {
        guard let settings = response.serverSettings,
            echoRecorded.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged
        else { return }
        let text = Self.json(settings)
        _ = try? await Blocking.run { [manifest, run] in try manifest.recordServerSettings(run: run, settings: text) }
    }

    func finish(_ summary: RunSummary) {
        let figures: [String: Double] = [
            "completed": Double(summary.completed), "dead_lettered": Double(summary.deadLettered),
            "failed_attempts": Double(summary.failedByReason.values.reduce(0, +)), "seconds": summary.seconds,
            "rewrites_per_second": summary.rewritesPerSecond, "completion_tokens": Double(summary.completionTokens),
            "prompt_tokens": Double(summary.promptTokens), "concurrency": Double(summary.finalConcurrency),
        ]
        try? manifest.finishRun(run, summary: Self.json(figures))
    }

    private static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
