import ArgumentParser
import Fidelity
import Foundation
import Inference
import Logging
import Prompting
import RewriteQueue
import Scheduler

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Rewrite the job's pending tasks with LLaMA-compatible servers until none remain.")

    @Option(help: "The job directory.")
    var job: String

    @Option(help: "Comma-separated server base URLs (llama.cpp, vLLM, TGI, Ollama...).")
    var server: String = "http://127.0.0.1:8181"

    @Option(help: "openai (/v1/completions), llamacpp (/completion) or auto.")
    var api: String = "auto"

    @Option(help: "Requests in flight: a number, or auto (tuned for the most rewrites/s).")
    var concurrency: String = "auto"

    @Option(help: "Model name sent on the OpenAI API (default: the server's first model).")
    var model: String?

    @Option(help: "Environment variable holding the API key (never logged).")
    var apiKeyEnv: String?

    @Option(help: "Failed attempts before a task is dead-lettered.")
    var maxAttempts: Int = 3

    @Option(help: "Extra samples with a new seed when a completion fails validation.")
    var resamples: Int = 3

    @Option(
        help: ArgumentHelp(
            "Re-sample a valid rewrite whose fidelity score (from --fidelity) is under X.",
            discussion: """
                Within --resamples; when every sample falls short the best one is kept, marked as under X \
                (`laclip export --min-fidelity` decides what to do with it). Off by default: the paper's \
                behaviour. Recommended for lexical: \(LexicalFidelity.recommendedThreshold) (see the README's fidelity \
                section for the measurement); the embedding scorer's scale is its model's, so that number does not carry over.
                """, valueName: "X"))
    var minFidelity: Double?

    @OptionGroup var scorer: FidelityScorerOptions

    @Option(help: "Only these styles (comma-separated).")
    var styles: String?

    @Flag(help: "Wait for shards other processes hold until the whole job is settled.")
    var untilIdle = false

    @Option(
        help: ArgumentHelp(
            "Work only partition I of N of the shards (0 <= I < N; shard s is in partition s % N), e.g. a Slurm array task.",
            valueName: "I/N"))
    var partition: Partition?

    @Option(help: "Tries of one request (with exponential backoff and jitter) before the attempt fails.")
    var httpTries: Int = 5

    @Option(help: "Seconds one request may take before it is retried.")
    var requestTimeout: Int = 120

    @Option(help: "Prompt token budget (the paper's \(PromptBuilder.defaultBudget)).")
    var tokenBudget: Int = PromptBuilder.defaultBudget

    @Option(help: "Seconds between plain progress lines when stderr is not a terminal.")
    var progressInterval: Double = 30

    @Flag(name: .shortAndLong, help: "Log more.")
    var verbose = false

    func validate() throws {
        if concurrency != "auto" && (Int(concurrency) ?? 0) < 1 {
            throw ValidationError("--concurrency must be auto or a positive number")
        }
        if ServerAPI(rawValue: api) == nil { throw ValidationError("--api must be openai, llamacpp or auto") }
        if let minFidelity, !(0...1).contains(minFidelity) {
            throw ValidationError("--min-fidelity must be between 0 and 1")
        }
    }

    func run() async throws {
        Laclip.bootstrapLogging(verbose: verbose)
        let logger = Logger(label: "laclip.run")
        let key = try apiKeyEnv.map { try APIKey(environmentVariable: $0) }
        let servers = try server.split(separator: ",").map {
            try ServerConfiguration(
                url: String($0), api: ServerAPI(rawValue: api) ?? .auto, model: model, apiKey: key,
                requestTimeout: .seconds(requestTimeout))
        }
        var options = RunOptions(job: URL(fileURLWithPath: job), servers: servers)
        options.concurrency = Int(concurrency).map { .fixed($0) } ?? .auto
        options.maxAttempts = maxAttempts
        options.resamples = resamples
        options.minFidelity = minFidelity
        options.fidelity = scorer.fidelity
        options.embeddingServer = try scorer.embeddingConfiguration(requestTimeout: requestTimeout)
        options.styles = styles.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        options.untilIdle = untilIdle
        options.partition = partition ?? .all
        options.tokenBudget = tokenBudget
        options.httpAttempts = max(1, httpTries)

        let stop = StopSignal()
        let interrupts = InterruptHandler(stop: stop)
        let printer = ProgressPrinter(interval: progressInterval)
        let summary = try await RewriteRunner(options: options, logger: logger, stop: stop).run { counters in
            printer.start(counters)
        }
        printer.finish()
        interrupts.cancel()
        print(summary.text)
        if summary.interrupted { throw ExitCode(130) }
    }
}

extension FidelityScorerKind: ExpressibleByArgument {}
