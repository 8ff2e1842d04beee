import Foundation
import RewriteQueue
import TestSupport

/// A real job enqueued by the `laclip` binary, brought into a chosen state through the queue API.
struct StatusFixture {
    let directory: TemporaryDirectory
    let job: URL

    init(captions: Int, shardSize: Int, styles: [String] = ["chatgpt", "bard", "coco", "human"]) throws {
        directory = try TemporaryDirectory("laclip-status")
        job = directory.path("job")
        let source = try directory.write("captions.csv", CaptionFactory.laclipCSV(count: captions))
        let output = try ProcessRunner.run(
            RepositoryPaths.laclip,
            [
                "enqueue", source.path, "--job", job.path, "--styles", styles.joined(separator: ","),
                "--shard-size", String(shardSize), "--meta-pairs", RepositoryPaths.metaPairs.path,
                "--template", RepositoryPaths.prompts.appendingPathComponent("laclip.txt").path,
            ])
        guard output.status == 0 else { throw StatusFixtureError(description: "enqueue failed: \(output)") }
    }

    func status(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessOutput {
        try ProcessRunner.run(
            RepositoryPaths.laclip, ["status", "--job", job.path] + arguments, environment: environment)
    }
}

struct StatusFixtureError: Error, CustomStringConvertible { var description: String }
