import Foundation
import Monitor
import RewriteQueue
import TestSupport
import Testing

@Suite struct StatusReportTests {
    func report(_ fixture: StatusFixture) throws -> (StatusReport, [String: Any]) {
        let output = try fixture.status(["--json"])
        #expect(output.status == 0, "\(output)")
        let report = try StatusReport.decoder.decode(StatusReport.self, from: Data(output.stdout.utf8))
        let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] ?? [:]
        return (report, object)
    }

    @Test func freshJob() throws {
        let fixture = try StatusFixture(captions: 10, shardSize: 4)
        let (report, object) = try report(fixture)
        #expect(report.schemaVersion == 1)
        #expect(report.captions == 10)
        #expect(report.totals.pending == 40 && report.totals.total == 40 && report.totals.done == 0)
        #expect(report.shards.map(\.total) == [16, 16, 8])
        #expect(report.byStyle.map(\.style) == ["chatgpt", "bard", "coco", "human"])
        #expect(report.workers.isEmpty && report.etaSeconds == nil && !report.complete)
        #expect(
            report.throughput.recent.rewritesPerSecond == 0 && report.throughput.sinceStart.rewritesPerSecond == nil)
        // The documented keys are all there, nulls included.
        let keys: Set<String> = [
            "schema_version", "generated_at", "job", "styles", "captions", "totals", "by_style", "shards",
            "throughput", "eta_seconds", "workers", "stale_leases", "failures", "dead", "complete", "fidelity",
        ]
        #expect(Set(object.keys) == keys)
        // Nothing scored yet: one entry per style, nulls where there is no distribution.
        let fidelity = object["fidelity"] as? [[String: Any]] ?? []
        #expect(fidelity.map { $0["style"] as? String } == ["chatgpt", "bard", "coco", "human"])
        #expect(
            Set(fidelity.first?.keys.map { $0 } ?? []) == [
                "style", "scored", "median", "p10", "below_threshold",
                "resampled_tasks", "resamples", "content_resamples",
            ])
        #expect(fidelity.allSatisfy { $0["scored"] as? Int == 0 && $0["median"] is NSNull })
        #expect(object["eta_seconds"] is NSNull)
        let throughput = object["throughput"] as? [String: Any] ?? [:]
        #expect(
            Set(throughput.keys) == [
                "recent", "since_start", "first_completed_at", "last_completed_at", "prompt_tokens",
                "completion_tokens",
            ])
        let recent = throughput["recent"] as? [String: Any] ?? [:]
        #expect(
            Set(recent.keys) == [
                "seconds", "rewrites", "rewrites_per_second", "captions_per_second", "tokens_per_second",
                "completion_tokens_per_second",
            ])
        let shard = (object["shards"] as? [[String: Any]])?.first ?? [:]
        #expect(
            Set(shard.keys) == [
                "id", "file", "first_caption", "captions", "done", "in_flight", "pending", "dead", "total", "owner",
            ])
    }

    /// Done, retried, dead and leased tasks, and a live worker holding a shard.
    @Test func busyJob() throws {
        let fixture = try StatusFixture(captions: 12, shardSize: 6)
        let job = try Job(directory: fixture.job)
        let worker = WorkerIdentity(
            owner: "host-a:\(getpid()):w1", host: ProcessInfo.processInfo.hostName, pid: getpid())
        #expect(try job.manifest.acquire(shard: 0, worker: worker, ttlMillis: 600_000))
        let queue = try job.openShard(job.shards[0])
        let now = WallClock.now()
        let claimed = try queue.claim(limit: 20, owner: worker.owner, leaseMillis: 600_000, now: now)
        let results = claimed.prefix(10).map {
            TaskResult(
                task: $0, text: "rewrite", model: "m", seed: 1, promptTokens: 100, completionTokens: 10, latencyMs: 1,
                finishReason: "stop")
        }
        // Completions spread over the last 30 seconds.
        for (i, result) in results.enumerated() {
            try queue.complete([result], worker: worker.owner, now: now - 30_000 + Int64(i) * 3_000)
        }
        let failed = Array(claimed[10..<14])
        _ = try queue.fail(
            failed.prefix(3).map { TaskFailure(task: $0, reason: "timeout", detail: "no answer in 120 s") },
            maxAttempts: 3, worker: worker.owner)
        _ = try queue.fail(
            [TaskFailure(task: failed[3], reason: "too_few_words", detail: "\"a\" has 1 word", permanent: true)],
            maxAttempts: 3, worker: worker.owner)
        // Six tasks stay leased by the live worker.

        let (report, _) = try report(fixture)
        #expect(report.totals.done == 10)
        #expect(report.totals.inFlight == 6)
        #expect(report.totals.dead == 1)
        #expect(report.totals.pending == 48 - 17)
        #expect(report.shards[0].owner == worker.owner)
        #expect(report.workers.count == 1)
        #expect(report.workers.first?.owner == worker.owner)
        #expect(report.workers.first?.leases == 6)
        #expect(report.workers.first?.shards == [0])
        #expect(report.failures.attempts == 4)
        #expect(report.failures.reasons.map(\.reason) == ["timeout", "too_few_words"])
        #expect(report.failures.reasons.first?.count == 3)
        #expect(report.failures.reasons.first?.example.detail == "no answer in 120 s")
        #expect(report.failures.reasons.last?.permanent == 1)
        #expect(
            report.dead.total == 1 && report.dead.byReason.map(\.reason) == ["too_few_words"]
                && report.dead.byReason.map(\.count) == [1])
        #expect(
            report.dead.examples.first?.caption
                == CaptionFactory.caption(Int(report.dead.examples.first?.captionId ?? -1)))
        #expect(report.throughput.recent.rewrites == 10)
        #expect(report.throughput.promptTokens == 1000 && report.throughput.completionTokens == 100)
        let rate = try #require(report.throughput.recent.rewritesPerSecond)
        #expect(rate > 0.1 && rate < 0.4) // 10 results in the ~30-60 s window
        #expect(report.etaSeconds != nil)

        // The human form shows the same things.
        let text = try fixture.status([]).stdout
        #expect(text.contains("dead-lettered: 1 tasks (too_few_words 1)"), "\(text)")
        #expect(text.contains("timeout ×3"))
        #expect(text.contains("workers: 1 live"))
        #expect(text.contains(worker.owner))
        #expect(!text.contains("\u{1B}["), "no escape codes when stdout is not a terminal")
    }

    @Test func expiredLeasesAreStaleNotLive() throws {
        let fixture = try StatusFixture(captions: 4, shardSize: 4)
        let job = try Job(directory: fixture.job)
        _ = try job.openShard(job.shards[0]).claim(
            limit: 3, owner: "gone:1:x", leaseMillis: 1, now: WallClock.now() - 10_000)
        let (report, _) = try report(fixture)
        #expect(report.workers.isEmpty)
        #expect(report.staleLeases == 3)
        #expect(report.etaSeconds == nil)
    }

    @Test func finishedJobIsComplete() throws {
        let fixture = try StatusFixture(captions: 3, shardSize: 2, styles: ["chatgpt"])
        let job = try Job(directory: fixture.job)
        for shard in job.shards {
            let queue = try job.openShard(shard)
            let claimed = try queue.claim(limit: 10, owner: "w", leaseMillis: 60_000)
            try queue.complete(
                claimed.map {
                    TaskResult(
                        task: $0, text: "r", model: "m", seed: 1, promptTokens: 1, completionTokens: 1, latencyMs: 1,
                        finishReason: "stop")
                }, worker: "w")
        }
        let (report, _) = try report(fixture)
        #expect(report.complete && report.etaSeconds == 0)
        #expect(try fixture.status([]).stdout.contains("complete"))
    }
}
