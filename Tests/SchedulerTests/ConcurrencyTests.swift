import IngestTestSupport
import RewriteQueue
import Scheduler
import Synchronization
import Testing

/// How many requests the runner keeps in flight. The server holds requests in batches and
/// answers a batch only once it is full, so a runner that keeps fewer in flight shows up as a
/// starved batch (answered after a second's patience), not as a slow run.
@Suite struct ConcurrencyTests {
    static let slots = 4
    static let tasks = 24

    @Test func autoKeepsAtLeastTheServersSlotsInFlight() async throws {
        let job = try InProcessJob(captions: numberedCaptions(Self.tasks))
        let server = ScriptedServer(slots: Self.slots, holding: .batches(size: Self.slots, total: Self.tasks)) {
            caption, _ in
            faithfulRewrite(of: caption)
        }
        let summary = try await runJob(job, servers: [server]) { $0.concurrency = .auto }

        #expect(summary.completed == Self.tasks)
        #expect(server.starvedBatches == 0)
        #expect(server.maxInFlight >= Self.slots)
        #expect(summary.finalConcurrency >= Self.slots)
    }

    @Test(arguments: [2, 6])
    func aFixedSettingIsRespectedExactly(level: Int) async throws {
        let job = try InProcessJob(captions: numberedCaptions(Self.tasks))
        // Leases held in the shard while a batch is answered: a runner that claimed ahead of what
        // it sends would hoard tasks another worker on the same shard could run.
        let leaseCounts = Mutex<[Int]>([])
        let server = ScriptedServer(slots: Self.slots, holding: .batches(size: level, total: Self.tasks)) {
            caption, _ in
            let leased = (try? job.open().counts().total(.leased)) ?? -1
            leaseCounts.withLock { $0.append(leased) }
            return faithfulRewrite(of: caption)
        }
        let summary = try await runJob(job, servers: [server]) { $0.concurrency = .fixed(level) }

        #expect(summary.completed == Self.tasks)
        #expect(server.starvedBatches == 0)
        #expect(server.maxInFlight == level)
        #expect(summary.finalConcurrency == level)
        let counts = leaseCounts.withLock { $0 }
        #expect(counts.count == Self.tasks)
        #expect(counts.allSatisfy { (1...level).contains($0) }, "leases held while answering: \(counts)")
        #expect(counts.max() == level)
    }
}
