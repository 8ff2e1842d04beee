import Export
import Foundation
import IngestTestSupport
import RewriteQueue
import Testing

/// The Exporter called in this process on a job enqueued in this process: duplicate carry and
/// the `--missing` policies, without the binary.
@Suite struct InProcessExportTests {
    struct Row: Decodable {
        var caption_id: Int64
        var original: String
        var rewrites: [String: String]
        var filled_with_original: [String]
        var duplicate_of: Int64?
    }

    static func rewrite(_ id: Int64) -> String { "rewrite of caption \(id)" }

    /// Completes the claimable tasks `include` accepts with `rewrite(caption)`.
    static func complete(_ job: InProcessJob, include: (Int64) -> Bool = { _ in true }) throws {
        let opened = try job.open(readonly: false)
        for shard in opened.shards {
            let queue = try opened.openShard(shard)
            let claimed = try queue.claim(limit: 1000, owner: "test", leaseMillis: 600_000)
            let results = claimed.filter { include($0.id.caption) }.map {
                TaskResult(
                    task: $0, text: rewrite($0.id.caption), model: "m", seed: 1, promptTokens: 1,
                    completionTokens: 1, latencyMs: 1, finishReason: "stop")
            }
            try queue.complete(results, worker: "test")
            try queue.release(owner: "test")
        }
    }

    static func export(_ job: InProcessJob, missing: MissingPolicy = .fail) throws -> (ExportReport, [Row]) {
        var options = ExportOptions(job: job.job, format: .jsonl, out: job.directory.path("out-\(missing).jsonl"))
        options.missing = missing
        let report = try Exporter.run(options)
        let rows = try String(contentsOf: options.out, encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(Row.self, from: Data($0.utf8)) }
        return (report, rows)
    }

    @Test func aDedupedCaptionsRewriteReachesEveryDuplicateRow() throws {
        // One caption per shard: every repeat sits in a later shard than its first occurrence,
        // so the rewrite must be carried across shards.
        let captions = ["dog on a beach", "red car", "dog on a beach", "blue sky", "dog on a beach", "red car"]
        let job = try InProcessJob(captions: captions, shardSize: 1, dedup: true)
        try Self.complete(job)
        let (report, rows) = try Self.export(job)

        #expect(rows.map(\.original) == captions)
        #expect(rows.map(\.duplicate_of) == [nil, nil, 0, nil, 0, 1])
        #expect(rows.map { $0.rewrites["chatgpt"] } == [0, 1, 0, 3, 0, 1].map { Self.rewrite($0) })
        #expect(report.duplicateRows == 3)
    }

    @Test func missingRewritesFailFillOrSkip() throws {
        let job = try InProcessJob(captions: ["dog on a beach", "red car", "blue sky"])
        try Self.complete(job) { $0 != 1 }

        let refused = #expect(throws: ExportError.self) { try Self.export(job, missing: .fail) }
        #expect(refused?.kind == .notReady)

        let (filled, filledRows) = try Self.export(job, missing: .original)
        #expect(filled.filledWithOriginal == 1)
        #expect(filledRows.map { $0.rewrites["chatgpt"] } == [Self.rewrite(0), "red car", Self.rewrite(2)])
        #expect(filledRows.map(\.filled_with_original) == [[], ["chatgpt"], []])

        let (skipped, skippedRows) = try Self.export(job, missing: .skip)
        #expect(skipped.skippedRows == 1)
        #expect(skippedRows.map(\.caption_id) == [0, 2])

        // The earlier outputs are there now: without --force they are kept, and the kind says so.
        let kept = #expect(throws: ExportError.self) { try Self.export(job, missing: .skip) }
        #expect(kept?.kind == .outputExists)
    }

    @Test func anInterruptedExportLeavesNothing() throws {
        let job = try InProcessJob(captions: ["dog on a beach", "red car"])
        try Self.complete(job)
        let options = ExportOptions(job: job.job, format: .jsonl, out: job.directory.path("interrupted.jsonl"))
        let error = #expect(throws: ExportError.self) { try Exporter.run(options) { true } }
        #expect(error?.kind == .interrupted)
        #expect(!FileManager.default.fileExists(atPath: options.out.path))
    }
}
