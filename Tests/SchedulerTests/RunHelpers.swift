import IngestTestSupport
import Logging
import RewriteQueue
import Scheduler

/// Runs `laclip run` in this process against `servers`, one request at a time unless
/// `configure` says otherwise.
func runJob(
    _ job: InProcessJob, servers: [ScriptedServer], stop: StopSignal = StopSignal(),
    configure: (inout RunOptions) -> Void = { _ in }
) async throws -> RunSummary {
    var options = RunOptions(job: job.job, servers: [])
    options.concurrency = .fixed(1)
    configure(&options)
    return try await RewriteRunner(options: options, logger: quietLogger, stop: stop, clients: servers).run()
}

/// Captions that the validator and the lexical scorer treat as ordinary, distinct captions.
func numberedCaptions(_ count: Int) -> [String] {
    (0..<count).map { "photo number \($0) of a red bicycle parked near a fence" }
}

/// A valid rewrite of `caption` that keeps its content words.
func faithfulRewrite(of caption: String) -> String { "a lovely \(caption) in the morning light" }
