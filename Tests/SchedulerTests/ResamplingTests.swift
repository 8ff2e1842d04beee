import IngestTestSupport
import Prompting
import RewriteQueue
import Testing

/// Completions the validator rejects are re-sampled with a new seed, up to `--resamples`.
@Suite struct ResamplingTests {
    static let caption = "a small cat sleeping on a red sofa"

    @Test func anEchoIsResampledAndTheNextValidRewriteStored() async throws {
        let job = try InProcessJob(captions: [Self.caption])
        let valid = "a tiny kitten naps on a crimson couch"
        let server = ScriptedServer { caption, call in call == 0 ? caption : valid }
        let summary = try await runJob(job, servers: [server])

        #expect(summary.completed == 1)
        #expect(summary.resamples == 1)
        #expect(server.calls(for: Self.caption) == 2)
        let task = try #require(try job.tasks().first)
        #expect(task.state == .done)
        #expect(task.resultText == valid)
        #expect(try job.scores().map(\.resamples) == [1])
    }

    @Test func everySampleInvalidFailsWithTheValidatorsReason() async throws {
        let job = try InProcessJob(captions: [Self.caption])
        let server = ScriptedServer { caption, _ in caption }
        let summary = try await runJob(job, servers: [server]) {
            $0.resamples = 2
            $0.maxAttempts = 1
        }

        #expect(server.calls(for: Self.caption) == 3)
        #expect(summary.completed == 0)
        #expect(summary.resamples == 2)
        #expect(summary.failedByReason == [RejectionReason.sameAsInput.rawValue: 1])
        #expect(summary.deadLettered == 1)
        let task = try #require(try job.tasks().first)
        #expect(task.state == .dead)
        #expect(task.lastReason == RejectionReason.sameAsInput.rawValue)
        #expect(task.resultText == nil)
    }
}
