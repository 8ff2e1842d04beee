import Foundation
import IngestTestSupport
import RewriteQueue
import Testing

/// A lease left by a worker that died counts as a failed attempt (`worker_lost`) when the run
/// takes the shard over, and the task is then retried.
@Suite struct LostWorkerTests {
    @Test func aDeadWorkersLeaseIsTakenBackAndCharged() async throws {
        let captions = numberedCaptions(3)
        let job = try InProcessJob(captions: captions)
        let opened = try job.open(readonly: false)
        let shard = try #require(opened.shards.first)
        let claimed = try opened.openShard(shard).claim(limit: 1, owner: "dead-worker", leaseMillis: 600_000)
        try #require(claimed.count == 1)

        let server = ScriptedServer { caption, _ in faithfulRewrite(of: caption) }
        let summary = try await runJob(job, servers: [server]) { $0.maxAttempts = 3 }

        #expect(summary.failedByReason == [TaskFailure.workerLost: 1])
        #expect(summary.deadLettered == 0)
        #expect(summary.completed == 3)
        let lost = try #require(try job.tasks().first { $0.id == claimed[0].id })
        #expect(lost.state == .done)
        #expect(lost.failures == 1)
        #expect(lost.lastReason == TaskFailure.workerLost)
    }

    @Test func aTaskThatKeepsLosingItsWorkerIsDeadLettered() async throws {
        let job = try InProcessJob(captions: numberedCaptions(2))
        let opened = try job.open(readonly: false)
        let shard = try #require(opened.shards.first)
        let claimed = try opened.openShard(shard).claim(limit: 1, owner: "dead-worker", leaseMillis: 600_000)
        try #require(claimed.count == 1)

        let server = ScriptedServer { caption, _ in faithfulRewrite(of: caption) }
        let summary = try await runJob(job, servers: [server]) { $0.maxAttempts = 1 }

        #expect(summary.deadLettered == 1)
        #expect(summary.completed == 1)
        #expect(try job.tasks().first { $0.id == claimed[0].id }?.state == .dead)
    }
}
