import Foundation
import Ingest
import IngestTestSupport
import RewriteQueue
import Testing

/// Duplicates (same text up to whitespace) are counted; with `--dedup` only the first of each
/// text gets tasks and the others point at it.
@Suite struct DuplicateTests {
    static let captions = ["a dog on a beach", "a cat on a sofa", "a  dog on a beach ", "a cat on a sofa"]

    static func canonicalIDs(of job: InProcessJob) throws -> [(id: Int64, canonical: Int64?)] {
        let opened = try job.open()
        var rows: [(Int64, Int64?)] = []
        for shard in opened.shards {
            try opened.openShard(shard, readonly: true).forEachCaption { id, _, canonical in
                rows.append((id, canonical))
            }
        }
        return rows
    }

    @Test func withoutDedupEveryCaptionGetsTasks() throws {
        let job = try InProcessJob(captions: Self.captions, styles: ["chatgpt", "bard"])
        #expect(job.report.duplicates == 2)
        #expect(job.report.tasks == 8)
        #expect(try Self.canonicalIDs(of: job).allSatisfy { $0.canonical == nil })
    }

    @Test func dedupGivesTasksToTheFirstOfEachText() throws {
        // Shards of one caption: the duplicate and its first copy live in different shards.
        let job = try InProcessJob(captions: Self.captions, styles: ["chatgpt", "bard"], shardSize: 1, dedup: true)
        #expect(job.report.duplicates == 2)
        #expect(job.report.tasks == 4)
        #expect(Set(try job.tasks().map(\.id.caption)) == [0, 1])
        let canonical = try Self.canonicalIDs(of: job).map(\.canonical)
        #expect(canonical == [nil, nil, 0, 1])
    }

    @Test func anAppendDedupsAgainstTheJob() throws {
        let job = try InProcessJob(captions: Array(Self.captions.prefix(2)), dedup: true)
        let source = try job.directory.write("more.txt", "a cat on a sofa\na horse in a field\n")
        var options = try InProcessJob.options(sources: [source], job: job.job)
        options.existing = .append
        let report = try Enqueue.run(options, logger: quietLogger)
        #expect(report.duplicates == 1)
        #expect(report.tasks == 1)
        #expect(try Self.canonicalIDs(of: job).map(\.canonical) == [nil, nil, 1, nil])
    }
}
