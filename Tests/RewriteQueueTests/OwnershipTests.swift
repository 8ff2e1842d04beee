import Foundation
import Prompting
import RewriteQueue
import Synchronization
import TestSupport
import Testing

@Suite("Shard ownership")
struct OwnershipTests {
    let directory: TemporaryDirectory
    let manifest: JobManifest

    init() throws {
        directory = try TemporaryDirectory("laclip-own")
        let definition = try JobDefinition(
            configuration: JobConfiguration(seed: 1, dedup: false, sharding: .default),
            styles: [], template: TemplateRecord(file: "t", text: PromptTemplate.paper.text))
        manifest = try JobManifest.create(layout: JobLayout(directory: directory.url), definition: definition)
    }

    @Test func oneOwnerAtATimeUntilExpiry() throws {
        let alive = WorkerIdentity(owner: "a", host: "other-host", pid: 1)
        let rival = WorkerIdentity(owner: "b", host: "another-host", pid: 2)
        #expect(try manifest.acquire(shard: 0, worker: alive, ttlMillis: 1_000, now: 0))
        #expect(try !manifest.acquire(shard: 0, worker: rival, ttlMillis: 1_000, now: 500))
        #expect(try manifest.acquire(shard: 0, worker: alive, ttlMillis: 1_000, now: 600))
        #expect(try manifest.renewOwnership(worker: alive, ttlMillis: 1_000, now: 900) == [0])
        #expect(try !manifest.acquire(shard: 0, worker: rival, ttlMillis: 1_000, now: 1_800))
        #expect(try manifest.acquire(shard: 0, worker: rival, ttlMillis: 1_000, now: 1_901))
        #expect(try manifest.renewOwnership(worker: alive, ttlMillis: 1_000, now: 2_000).isEmpty)
    }

    @Test func aDeadProcessOnThisHostIsTakenOverAtOnce() throws {
        let host = ProcessInfo.processInfo.hostName
        // A pid that cannot be alive: above the kernel's maximum.
        let dead = WorkerIdentity(owner: "dead", host: host, pid: 4_194_304 + 17)
        let me = WorkerIdentity.current()
        #expect(try manifest.acquire(shard: 3, worker: dead, ttlMillis: 3_600_000))
        #expect(try manifest.acquire(shard: 3, worker: me, ttlMillis: 1_000))
        let living = WorkerIdentity(owner: "living", host: host, pid: ProcessInfo.processInfo.processIdentifier)
        #expect(try !manifest.acquire(shard: 3, worker: living, ttlMillis: 1_000))
    }

    /// `whileOwning` is the protocol run, score and retry share: nothing runs on a held shard,
    /// the ownership outlives its TTL while the body works, and it is free again after.
    @Test func whileOwningRenewsWhileTheBodyWorksAndReleasesAfter() async throws {
        let holder = WorkerIdentity(owner: "holder", host: "other-host", pid: 1)
        let rival = WorkerIdentity(owner: "rival", host: "another-host", pid: 2)
        #expect(try manifest.acquire(shard: 1, worker: rival, ttlMillis: 60_000))
        let refused: Int? = try await manifest.whileOwning(shard: 1, worker: holder) {
            Issue.record("ran on a shard another live process owns")
            return 1
        }
        #expect(refused == nil)

        let ran: Bool? = try await manifest.whileOwning(shard: 2, worker: holder, ttlMillis: 300) {
            // Three TTLs of work: without the renewals the rival could take the shard.
            for _ in 0..<9 {
                try await Task.sleep(for: .milliseconds(100))
                #expect(try !manifest.acquire(shard: 2, worker: rival, ttlMillis: 300))
            }
            return true
        }
        #expect(ran == true)
        #expect(try manifest.shardOwners().allSatisfy { $0.shardID != 2 })
        #expect(try manifest.acquire(shard: 2, worker: rival, ttlMillis: 300))
    }

    @Test func whileOwningSaysWhenTheShardIsTakenOver() async throws {
        let holder = WorkerIdentity(owner: "holder", host: "other-host", pid: 1)
        let rival = WorkerIdentity(owner: "rival", host: "another-host", pid: 2)
        let lost = LostFlag()
        _ = try await manifest.whileOwning(shard: 4, worker: holder, ttlMillis: 300, onLost: { lost.set() }) {
            // As if the holder had been stopped for longer than its TTL.
            #expect(try manifest.acquire(shard: 4, worker: rival, ttlMillis: 60_000, now: WallClock.now() + 1_000))
            for _ in 0..<20 where !lost.isSet { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(lost.isSet)
        // Releasing after the loss leaves the new owner in place.
        #expect(try manifest.shardOwners().first { $0.shardID == 4 }?.owner == "rival")
    }
}

private final class LostFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
