import Foundation
import RewriteQueue
import TestSupport
import Testing

/// A lease whose worker died is a failed attempt (`worker_lost`), so a task that kills every
/// worker that tries it ends dead-lettered instead of being retried forever.
@Suite("lost workers")
struct LostWorkerTests {
    @Test func takenBackLeasesAreLoggedAttemptsAndDeadLetterAfterMaxAttempts() throws {
        let fixture = try ShardFixture(captions: 1, styles: 1)
        let queue = try fixture.open()
        for round in 1...3 {
            let task = try #require(try queue.claim(limit: 1, owner: "worker-\(round)", leaseMillis: 60_000).first)
            #expect(task.attempt == round)
            // The worker dies holding the lease; the next owner of the shard takes it back.
            let outcome = try queue.takeBackLeases(maxAttempts: 3, worker: "worker-\(round + 1)")
            #expect(outcome.retried == (round < 3 ? 1 : 0))
            #expect(outcome.deadLettered == (round < 3 ? 0 : 1))
            #expect(try queue.counts() == queue.recount())
        }
        let stored = try #require(try queue.tasks(ofCaption: 0).first)
        #expect(stored.state == .dead)
        #expect(stored.failures == 3)
        #expect(stored.lastReason == TaskFailure.workerLost)
        let log = try queue.failureLog()
        #expect(log.map { $0.reason } == Array(repeating: "worker_lost", count: 3))
        #expect(log.map { $0.attempt } == [1, 2, 3])
        // The failure names the worker that lost the lease: it is the one that touched the task.
        #expect(try queue.workersByTask()[stored.id] == ["worker-1", "worker-2", "worker-3"])
        // Status and `laclip retry --reason worker_lost` see it like any other failure.
        #expect(try queue.failureReasons().first?.reason == "worker_lost")
        #expect(try queue.deadTasks(examples: 5).byReason == ["worker_lost": 1])
        #expect(try queue.requeueDead(reason: "worker_lost") == 1)
        #expect(try queue.counts() == queue.recount())
    }

    @Test func aLostLeaseFencesItsWorker() throws {
        let fixture = try ShardFixture(captions: 1, styles: 1)
        let queue = try fixture.open()
        let first = try #require(try queue.claim(limit: 1, owner: "stalled", leaseMillis: 100, now: 0).first)
        #expect(try queue.expireLeases(maxAttempts: 3, worker: "next", now: 50).retried == 0)
        #expect(try queue.expireLeases(maxAttempts: 3, worker: "next", now: 200).retried == 1)
        // The stalled worker wakes up and answers: its token is no longer the task's.
        #expect(try queue.complete([result(for: first)], worker: "stalled").isEmpty)
        #expect(
            try queue.fail([TaskFailure(task: first, reason: "timeout", detail: "")], maxAttempts: 3, worker: "stalled")
                .stale == 1)
        #expect(try queue.counts()[0, .pending] == 1)
        #expect(try queue.counts() == queue.recount())
    }

    @Test func releasedAndCompletedLeasesAreNotCharged() throws {
        let fixture = try ShardFixture(captions: 2, styles: 2)
        let queue = try fixture.open()
        let claimed = try queue.claim(limit: 4, owner: "w", leaseMillis: 60_000)
        try queue.complete([result(for: claimed[0])], worker: "w")
        try queue.release(owner: "w")
        #expect(try queue.takeBackLeases(maxAttempts: 3, worker: "next") == FailureOutcome())
        #expect(try queue.failureLog().isEmpty)
    }

    @Test func lostTasksAreClaimedAloneWithoutMovingTheCursor() throws {
        let fixture = try ShardFixture(captions: 4, styles: 1)
        let queue = try fixture.open()
        let batch = try queue.claim(limit: 3, owner: "dead", leaseMillis: 60_000)
        try queue.complete([result(for: batch[0])], worker: "dead")
        // The worker dies with two tasks out.
        #expect(try queue.takeBackLeases(maxAttempts: 3, worker: "next").retried == 2)
        let first = try #require(try queue.claimLost(from: 0, owner: "next", leaseMillis: 60_000))
        #expect(first.id == batch[1].id)
        #expect(first.attempt == 2)
        let second = try #require(try queue.claimLost(from: first.row + 1, owner: "next", leaseMillis: 60_000))
        #expect(second.id == batch[2].id)
        #expect(try queue.claimLost(from: second.row + 1, owner: "next", leaseMillis: 60_000) == nil)
        // The one task never claimed is still handed out by the ordinary claim.
        let rest = try queue.claim(limit: 10, owner: "next", leaseMillis: 60_000)
        #expect(rest.count == 1)
        #expect(try queue.counts() == queue.recount())
    }
}
