import Foundation
import IngestTestSupport
import RewriteQueue
import Scheduler
import Testing

/// Another process takes the shard over while the run works it (this one went unrenewed for a
/// whole TTL, as after SIGSTOP): the run stops claiming, keeps what was finished, and fails with
/// `ownershipLost` so the shard keeps a single writer.
@Suite struct OwnershipLossTests {
    @Test func aTakenOverShardStopsTheRunWithOwnershipLost() async throws {
        let job = try InProcessJob(captions: numberedCaptions(10))
        let server = ScriptedServer(holding: .untilOpened) { caption, _ in faithfulRewrite(of: caption) }
        let stop = StopSignal()
        let run = Task {
            try await runJob(job, servers: [server], stop: stop) {
                $0.concurrency = .fixed(2)
                // Renewed every 100 ms, so the takeover is noticed at once.
                $0.ownershipMillis = 300
                $0.drainGrace = .seconds(60)
            }
        }
        await server.waitUntilHeld(2)
        // The other process sees this one's ownership as expired (its clock is past the TTL).
        let manifest = try job.open(readonly: false).manifest
        let other = WorkerIdentity(owner: "other-host:1:x", host: "other-host", pid: 1)
        #expect(try manifest.acquire(shard: 0, worker: other, ttlMillis: 3_600_000, now: WallClock.now() + 10_000))
        // The in-flight answers arrive only after the run has seen the takeover and stopped itself.
        let deadline = ContinuousClock.now + .seconds(10)
        while !stop.isRequested && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(stop.isRequested, "the run did not notice the takeover")
        server.open()

        let error = await #expect(throws: QueueError.self) { try await run.value }
        #expect(error?.kind == .ownershipLost)
        let tasks = try job.tasks()
        // The two in flight were finished and stored (their leases still fenced them); no more were claimed.
        #expect(server.totalCalls == 2)
        #expect(tasks.filter { $0.state == .done }.count == 2)
        #expect(tasks.filter { $0.state == .pending }.count == 8)
        // The new owner keeps the shard; the stopped run did not release it.
        #expect(try manifest.shardOwners().map(\.owner) == [other.owner])
    }
}
