import Foundation
import Prompting
import RewriteQueue
import Testing
import TestSupport

@Suite("Shard ownership")
struct OwnershipTests {
    let directory: TemporaryDirectory
    let manifest: JobManifest

    init() throws {
        directory = try TemporaryDirectory("laclip-own")
        let definition = try JobDefinition(configuration: JobConfiguration(seed: 1, dedup: false, sharding: .default),
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
}
