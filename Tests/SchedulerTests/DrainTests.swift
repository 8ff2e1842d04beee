import IngestTestSupport
import RewriteQueue
import Scheduler
import Testing

/// The first Ctrl-C (`StopSignal.request()`): requests in flight finish and are stored, nothing
/// more is claimed, and the rest goes back to pending with no attempt spent.
@Suite struct DrainTests {
    @Test func stopLetsInFlightRequestsFinishAndReleasesTheRest() async throws {
        let captions = numberedCaptions(10)
        let job = try InProcessJob(captions: captions)
        let server = ScriptedServer(holding: .untilOpened) { caption, _ in faithfulRewrite(of: caption) }
        let stop = StopSignal()
        let run = Task {
            try await runJob(job, servers: [server], stop: stop) {
                $0.concurrency = .fixed(3)
                // Long enough that the held requests finish inside it rather than being cut off.
                $0.drainGrace = .seconds(60)
            }
        }
        await server.waitUntilHeld(3)
        stop.request()
        server.open()
        let summary = try await run.value

        #expect(summary.interrupted)
        #expect(summary.completed == 3)
        #expect(server.totalCalls == 3)
        #expect(summary.remainingPending == 7)
        let tasks = try job.tasks()
        #expect(tasks.filter { $0.state == .done }.count == 3)
        #expect(tasks.filter { $0.state == .done }.allSatisfy { $0.resultText != nil })
        let pending = tasks.filter { $0.state == .pending }
        #expect(pending.count == 7)
        #expect(pending.allSatisfy { $0.attempts == 0 && $0.failures == 0 })
        #expect(!tasks.contains { $0.state == .leased })
    }

    /// Requests still running when the grace period runs out are cancelled (the server sees the
    /// cancellation), and their tasks go back to pending without a failure charged.
    @Test func graceRunningOutCancelsTheRequestsStillInFlight() async throws {
        let job = try InProcessJob(captions: numberedCaptions(6))
        let server = ScriptedServer(holding: .untilOpened) { caption, _ in faithfulRewrite(of: caption) }
        let stop = StopSignal()
        let run = Task {
            try await runJob(job, servers: [server], stop: stop) {
                $0.concurrency = .fixed(2)
                $0.drainGrace = .milliseconds(200)
            }
        }
        await server.waitUntilHeld(2)
        stop.request()
        // Never opened: only the cancellation can end these two requests.
        let summary = try await run.value

        #expect(summary.interrupted)
        #expect(summary.completed == 0)
        #expect(server.cancelledCalls == 2)
        let tasks = try job.tasks()
        // Both were claimed and sent once; neither is charged a failure (which is what counts
        // toward --max-attempts), and none stays leased.
        #expect(tasks.allSatisfy { $0.state == .pending && $0.failures == 0 })
        #expect(tasks.filter { $0.attempts == 1 }.count == 2)
        #expect(summary.remainingPending == 6)
    }
}
