import Fidelity
import IngestTestSupport
import RewriteQueue
import Testing

/// `--min-fidelity`: a valid rewrite that drops the caption's content is re-sampled
/// (`drops_content`); when every sample falls short, the best one is kept.
@Suite struct FidelityGuardTests {
    static let caption = "a brown dog runs across a sandy beach"
    static let drifting = "an orange spaceship orbits a distant planet"
    static let halfway = "a brown spaceship orbits a sandy planet"
    static let faithful = "a brown dog happily runs across the sandy beach"

    @Test func aDriftingRewriteIsResampled() async throws {
        let job = try InProcessJob(captions: [Self.caption])
        let server = ScriptedServer { _, call in call == 0 ? Self.drifting : Self.faithful }
        let summary = try await runJob(job, servers: [server]) { $0.minFidelity = 0.8 }

        #expect(summary.completed == 1)
        #expect(summary.resamples == 1)
        #expect(summary.contentResamples == 1)
        #expect(summary.belowThreshold == 0)
        #expect(try job.tasks().first?.resultText == Self.faithful)
        #expect(try job.scores().map(\.contentResamples) == [1])
    }

    @Test func theBestIsKeptWhenEverySampleFallsShort() async throws {
        let scorer = LexicalFidelity()
        let halfwayScore = scorer.score(caption: Self.caption, rewrite: Self.halfway)
        // The script must hold what the test assumes: the middle sample is the best, and short.
        try #require(halfwayScore > scorer.score(caption: Self.caption, rewrite: Self.drifting))
        try #require(halfwayScore < 0.8)

        let job = try InProcessJob(captions: [Self.caption])
        let samples = [Self.drifting, Self.halfway, Self.drifting]
        let server = ScriptedServer { _, call in samples[min(call, samples.count - 1)] }
        let summary = try await runJob(job, servers: [server]) {
            $0.minFidelity = 0.8
            $0.resamples = 2
        }

        #expect(server.calls(for: Self.caption) == 3)
        #expect(summary.completed == 1)
        #expect(summary.belowThreshold == 1)
        #expect(summary.resamples == 2)
        let task = try #require(try job.tasks().first)
        #expect(task.state == .done)
        #expect(task.resultText == Self.halfway)
        let score = try #require(try job.scores().first)
        #expect(score.fidelity == halfwayScore)
        #expect(score.isBelowThreshold)
        #expect(score.resamples == 2)
        #expect(score.contentResamples == 2)
    }
}
