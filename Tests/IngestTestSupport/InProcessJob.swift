import Foundation
import Ingest
import Logging
import Prompting
import RewriteQueue
import TestSupport

/// A real job on disk, enqueued by calling Ingest in this process (no binary): one caption per
/// line of a `.txt` source, with the repository's meta pairs and prompt template.
public struct InProcessJob: Sendable {
    public let directory: TemporaryDirectory
    public var job: URL { directory.path("job") }
    public let report: EnqueueReport

    public init(
        captions: [String], styles: [String] = ["chatgpt"], shardSize: Int = 1000, dedup: Bool = false,
        prefix: String = "laclip-inproc"
    ) throws {
        directory = try TemporaryDirectory(prefix)
        let source = try directory.write("captions.txt", captions.joined(separator: "\n") + "\n")
        var options = try Self.options(sources: [source], job: directory.path("job"))
        options.styles = styles
        options.sharding = .size(shardSize)
        options.dedup = dedup
        report = try Enqueue.run(options, logger: quietLogger)
    }

    /// Enqueue options as `laclip enqueue` builds them from its defaults.
    public static func options(sources: [URL], job: URL) throws -> EnqueueOptions {
        let template = RepositoryPaths.prompts.appendingPathComponent("laclip.txt")
        return EnqueueOptions(
            sources: sources, job: job, metaPairs: try MetaPairLibrary.load(directory: RepositoryPaths.metaPairs),
            metaPairsDirectory: RepositoryPaths.metaPairs.path,
            template: try PromptTemplate.load(url: template), templateFile: template.path)
    }

    public func open(readonly: Bool = true) throws -> Job { try Job(directory: job, readonly: readonly) }

    /// Every task with its result, from every shard.
    public func tasks() throws -> [StoredTask] {
        let job = try open()
        return try job.shards.flatMap { try job.openShard($0, readonly: true).allTasks() }
    }

    /// Every stored result's fidelity columns (score, re-samples), from every shard.
    public func scores() throws -> [StoredScore] {
        let job = try open()
        return try job.shards.flatMap { try job.openShard($0, readonly: true).storedScores() }
    }
}

/// Logs nothing: the tests assert on results, and log lines would bury the test output.
public let quietLogger = Logger(label: "laclip-test", factory: { _ in SwiftLogNoOpLogHandler() })
