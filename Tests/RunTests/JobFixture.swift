import Foundation
import Prompting
import RewriteQueue
import TestSupport
import Testing

/// A job enqueued by the real binary from the bundled sample captions.
struct JobFixture {
    let directory: TemporaryDirectory
    var job: URL { directory.path("job") }

    init(captions: Int, shardSize: Int = 1000, prefix: String = "laclip-run", styles: [String]? = nil) throws {
        directory = try TemporaryDirectory(prefix)
        let lines = try String(
            contentsOf: RepositoryPaths.root.appendingPathComponent("samples/captions.csv"), encoding: .utf8
        )
        .split(separator: "\n").prefix(captions)
        let file = try directory.write("captions.csv", lines.joined(separator: "\n") + "\n")
        let output = try Laclip.run(
            ["enqueue", file.path, "--job", job.path, "--shard-size", String(shardSize)]
                + (styles.map { ["--styles", $0.joined(separator: ",")] } ?? []))
        guard output.status == 0 else { throw TestSupportError("enqueue failed: \(output)") }
    }

    func open() throws -> Job { try Job(directory: job, readonly: true) }

    /// Every task with its result, from every shard.
    func tasks() throws -> [StoredTask] {
        let job = try open()
        return try job.shards.flatMap { try job.openShard($0, readonly: true).allTasks() }
    }

    /// The id of the first caption with this text.
    func captionID(of text: String) throws -> Int64? {
        let job = try open()
        var found: Int64?
        for shard in job.shards where found == nil {
            try job.openShard(shard, readonly: true).forEachCaption { id, caption, _ in
                if found == nil && caption == text { found = id }
            }
        }
        return found
    }
}
