import Foundation
import RewriteQueue
import Testing

@Suite("Attempts, dead letters and retry")
struct FailureTests {
    @Test func retryableFailuresDeadLetterAfterMaxAttempts() throws {
        let fixture = try ShardFixture(captions: 1, styles: 1)
        let queue = try fixture.open()
        for attempt in 1...3 {
            let task = try #require(queue.claim(limit: 1, owner: "w", leaseMillis: 60_000).first)
            #expect(task.attempt == attempt)
            let outcome = try queue.fail(
                [TaskFailure(task: task, reason: "too_few_words", detail: "\"ok\"")],
                maxAttempts: 3, worker: "w")
            #expect(outcome.deadLettered == (attempt == 3 ? 1 : 0))
            #expect(outcome.retried == (attempt == 3 ? 0 : 1))
        }
        #expect(try queue.claim(limit: 1, owner: "w", leaseMillis: 60_000).isEmpty)
        let stored = try #require(queue.tasks(ofCaption: 0).first)
        #expect(stored.state == .dead)
        #expect(stored.lastReason == "too_few_words")
        #expect(try queue.counts() == queue.recount())
    }

    @Test func permanentFailureDeadLettersAtOnce() throws {
        let fixture = try ShardFixture(captions: 1, styles: 1)
        let queue = try fixture.open()
        let task = try #require(queue.claim(limit: 1, owner: "w", leaseMillis: 60_000).first)
        let outcome = try queue.fail(
            [TaskFailure(task: task, reason: "bad_request", detail: "400", permanent: true)],
            maxAttempts: 5, worker: "w")
        #expect(outcome.deadLettered == 1)
        #expect(try queue.counts().total(.dead) == 1)
    }

    @Test func retryBringsBackDeadTasksByStyleAndReason() throws {
        let fixture = try ShardFixture(captions: 3, styles: 2)
        let queue = try fixture.open()
        let all = try queue.claim(limit: 6, owner: "w", leaseMillis: 60_000)
        let failures = all.map {
            TaskFailure(
                task: $0, reason: $0.id.caption == 0 ? "timeout" : "degenerate_repetition",
                detail: "", permanent: true)
        }
        #expect(try queue.fail(failures, maxAttempts: 3, worker: "w").deadLettered == 6)

        #expect(try queue.requeueDead(style: 1, reason: "timeout") == 1)
        #expect(try queue.requeueDead(reason: "degenerate_repetition") == 4)
        #expect(try queue.requeueDead() == 1)
        #expect(try queue.counts().total(.pending) == 6)
        let again = try queue.claim(limit: 6, owner: "w", leaseMillis: 60_000)
        #expect(again.count == 6)
        // A retried task gets a fresh budget: one more failure does not dead-letter it.
        let outcome = try queue.fail(
            [TaskFailure(task: again[0], reason: "timeout", detail: "")],
            maxAttempts: 2, worker: "w")
        #expect(outcome.retried == 1)
    }

    @Test func countersMatchTheRowsAfterRandomOperations() throws {
        let fixture = try ShardFixture(captions: 30)
        let queue = try fixture.open()
        var rng = SystemRandomNumberGenerator()
        var now: Int64 = 0
        for _ in 0..<200 {
            now += 10
            let batch = try queue.claim(
                limit: Int.random(in: 0...6, using: &rng), owner: "w\(Int.random(in: 0...2, using: &rng))",
                leaseMillis: 50, now: now)
            for task in batch {
                switch Int.random(in: 0...3, using: &rng) {
                case 0: try queue.complete([result(for: task)], worker: "w", now: now)
                case 1:
                    _ = try queue.fail(
                        [TaskFailure(task: task, reason: "x", detail: "")],
                        maxAttempts: 2, worker: "w", now: now)
                default: break
                }
            }
            if Int.random(in: 0...4, using: &rng) == 0 { try queue.expireLeases(maxAttempts: 2, worker: "w", now: now) }
            if Int.random(in: 0...9, using: &rng) == 0 { try queue.requeueDead() }
        }
        #expect(try queue.counts() == queue.recount())
        #expect(try queue.resultCount() == queue.counts().total(.done))
    }
}
