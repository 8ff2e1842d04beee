import CaptionIO
import Foundation
import Ingest
import IngestTestSupport
import RewriteQueue
import TestSupport
import Testing

/// `--on-bad-row skip`: bad rows are recorded in the job with their line and reason, and the
/// good rows around them are enqueued with consecutive ids.
@Suite struct BadRowSkipTests {
    @Test func skippedRowsAreRecordedAndTheRestEnqueued() throws {
        let directory = try TemporaryDirectory("laclip-ingest")
        let lines = ["a dog on a beach", String(repeating: "long ", count: 20), "a cat on a sofa"]
        let source = try directory.write("captions.txt", lines.joined(separator: "\n") + "\n")
        var options = try InProcessJob.options(sources: [source], job: directory.path("job"))
        options.styles = ["chatgpt"]
        options.reader.maxCaptionCharacters = 40
        options.onBadRow = .skip
        let report = try Enqueue.run(options, logger: quietLogger)

        #expect(report.captions == 2)
        #expect(report.badRows.map(\.reason) == [.captionTooLong])
        let job = try Job(directory: options.job, readonly: true)
        let recorded = try job.manifest.badRows()
        #expect(recorded.map(\.reason) == [BadRowReason.captionTooLong.rawValue])
        #expect(recorded.map(\.line) == [2])
        #expect(try job.manifest.sources().first?.badRows == 1)
        var texts: [Int64: String] = [:]
        for shard in job.shards {
            try job.openShard(shard, readonly: true).forEachCaption { id, text, _ in texts[id] = text }
        }
        #expect(texts == [0: "a dog on a beach", 1: "a cat on a sofa"])
    }
}
