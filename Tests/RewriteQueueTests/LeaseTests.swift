import Foundation
import RewriteQueue
import Testing

@Suite("Leases and fencing")
struct LeaseTests {
    @Test func claimLeasesTasksAndCompletionStoresResults() throws {
        let fixture = try ShardFixture(captions: 10)
        let queue = try fixture.open()
        let claimed = try queue.claim(limit: 8, owner: "w1", leaseMillis: 60_000, now: 1_000)
        #expect(claimed.count == 8)
        #expect(Set(claimed.map(\.id)).count == 8)
        #expect(claimed.allSatisfy { $0.attempt == 1 && $0.caption.hasPrefix("caption ") })
        let counts = try queue.counts()
        #expect(counts.total(.leased) == 8)
        #expect(counts.total(.pending) == 32)

        let accepted = try queue.complete(claimed.map { result(for: $0) }, worker: "w1", now: 2_000)
        #expect(accepted.count == 8)
        #expect(try queue.counts().total(.done) == 8)
        #expect(try queue.resultCount() == 8)
        #expect(try queue.counts() == queue.recount())
    }

    @Test func claimsNeverHandOutATaskTwice() throws {
        let fixture = try ShardFixture(captions: 25)
        let queue = try fixture.open()
        var seen = Set<TaskID>()
        while true {
            let batch = try queue.claim(limit: 7, owner: "w", leaseMillis: 60_000, now: 0)
            if batch.isEmpty { break }
            for task in batch { #expect(seen.insert(task.id).inserted) }
        }
        #expect(seen.count == 100)
    }

    @Test func claimOrderGroupsTasksSharingDemonstrations() throws {
        let fixture = try ShardFixture(captions: 40, styles: 2, distinctDraws: 4)
        let queue = try fixture.open()
        let claimed = try queue.claim(limit: 80, owner: "w", leaseMillis: 60_000, now: 0)
        let keys = claimed.map { "\($0.id.style)/\($0.draw)" }
        var runs = 1
        for i in 1..<keys.count where keys[i] != keys[i - 1] { runs += 1 }
        // 2 styles × 4 draws: grouped means exactly one run per (style, draw).
        #expect(runs == 8)
    }

    @Test func expiredLeasesReturnToPending() throws {
        let fixture = try ShardFixture(captions: 3)
        let queue = try fixture.open()
        let claimed = try queue.claim(limit: 12, owner: "dead-worker", leaseMillis: 1_000, now: 10_000)
        #expect(claimed.count == 12)
        #expect(try queue.expireLeases(maxAttempts: 3, worker: "w2", now: 10_500).retried == 0)
        #expect(try queue.expireLeases(maxAttempts: 3, worker: "w2", now: 11_001).retried == 12)
        let again = try queue.claim(limit: 12, owner: "w2", leaseMillis: 1_000, now: 11_002)
        #expect(Set(again.map(\.id)) == Set(claimed.map(\.id)))
        #expect(again.allSatisfy { $0.attempt == 2 })
        #expect(try queue.counts() == queue.recount())
    }

    @Test func renewedLeasesDoNotExpire() throws {
        let fixture = try ShardFixture(captions: 2)
        let queue = try fixture.open()
        _ = try queue.claim(limit: 8, owner: "w", leaseMillis: 1_000, now: 0)
        #expect(try queue.renewLeases(owner: "w", leaseMillis: 1_000, now: 900) == 8)
        #expect(try queue.expireLeases(maxAttempts: 3, worker: "w", now: 1_500).retried == 0)
        #expect(try queue.expireLeases(maxAttempts: 3, worker: "w", now: 1_901).retried == 8)
    }

    @Test func staleHolderCannotCompleteOrFail() throws {
        let fixture = try ShardFixture(captions: 1, styles: 1)
        let queue = try fixture.open()
        let first = try #require(queue.claim(limit: 1, owner: "slow", leaseMillis: 100, now: 0).first)
        try queue.expireLeases(maxAttempts: 3, worker: "fresh", now: 200)
        let second = try #require(queue.claim(limit: 1, owner: "fresh", leaseMillis: 100, now: 201).first)
        #expect(first.id == second.id)
        #expect(first.leaseToken != second.leaseToken)

        #expect(try queue.complete([result(for: first, text: "stale answer")], worker: "slow").isEmpty)
        let failed = try queue.fail(
            [TaskFailure(task: first, reason: "timeout", detail: "")],
            maxAttempts: 3, worker: "slow")
        #expect(failed.stale == 1)
        #expect(try queue.complete([result(for: second, text: "fresh answer")], worker: "fresh").count == 1)
        let stored = try queue.tasks(ofCaption: 0)
        #expect(stored.map(\.resultText) == ["fresh answer"])
        // A completion after the task is done is stale too: no second result.
        #expect(try queue.complete([result(for: second, text: "again")], worker: "fresh").isEmpty)
        #expect(try queue.resultCount() == 1)
    }

    @Test func releaseReturnsOnlyTheOwnersLeases() throws {
        let fixture = try ShardFixture(captions: 2)
        let queue = try fixture.open()
        _ = try queue.claim(limit: 3, owner: "a", leaseMillis: 60_000, now: 0)
        _ = try queue.claim(limit: 3, owner: "b", leaseMillis: 60_000, now: 0)
        #expect(try queue.release(owner: "a") == 3)
        let counts = try queue.counts()
        #expect(counts.total(.leased) == 3)
        #expect(counts.total(.pending) == 5)
    }
}
