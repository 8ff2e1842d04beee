import Fidelity
import Foundation
import RewriteQueue
import TestSupport
import Testing

/// `laclip run --min-fidelity` against the real llama-server: SmolLM2-135M drifts often enough
/// (COCO style most of all) that the guard re-samples for real.
@Suite("the fidelity guard against the real llama-server", .serialized)
final class FidelityGuardTests {
    let server: LlamaServerProcess

    init() throws { server = try LlamaServerProcess(slots: 4) }

    @Test func noStoredRewriteIsUnderTheThresholdUnlessMarkedAndResamplesAddUp() throws {
        let threshold = 0.3
        let fixture = try JobFixture(captions: 40, styles: ["coco"])
        let output = try Laclip.run([
            "run", "--job", fixture.job.path, "--server", server.url, "--concurrency", "4",
            "--min-fidelity", String(threshold),
        ])
        #expect(output.status == 0, "\(output)")
        #expect(output.stdout.contains("finished: 40 rewrites done"), "\(output.stdout)")

        let job = try fixture.open()
        let scorer = LexicalFidelity()
        var scores: [StoredScore] = []
        for shard in job.shards {
            let queue = try job.openShard(shard, readonly: true)
            let texts = Dictionary(uniqueKeysWithValues: try queue.allTasks().map { ($0.id, $0.resultText) })
            for score in try queue.storedScores() {
                scores.append(score)
                let caption = try #require(try queue.caption(score.id.caption)).text
                let rewrite = try #require(texts[score.id] ?? nil)
                // The stored score is the lexical score of the stored pair.
                #expect(score.fidelity == scorer.score(caption: caption, rewrite: rewrite), "\(caption) → \(rewrite)")
                #expect(score.scorer == LexicalFidelity.name)
                #expect(score.minFidelity == threshold)
                let value = try #require(score.fidelity)
                // Under the threshold only as the best of samples that all fell short.
                if value < threshold {
                    #expect(score.isBelowThreshold)
                    #expect(score.resamples == 3, "kept under the threshold before re-samples ran out: \(score)")
                }
                #expect(score.contentResamples <= score.resamples)
            }
        }
        #expect(scores.count == 40)
        let resampled = scores.filter { $0.contentResamples > 0 }.count
        #expect(resampled > 0, "the guard never re-sampled: the test shows nothing")

        // Status adds up to the stored rows, and to what the run said it did.
        let status = try Laclip.run(["status", "--job", fixture.job.path, "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let fidelity = try #require(
            (report["fidelity"] as? [[String: Any]])?.first { $0["style"] as? String == "coco" })
        #expect(fidelity["scored"] as? Int == 40)
        #expect(fidelity["resamples"] as? Int == scores.reduce(0) { $0 + $1.resamples })
        #expect(fidelity["content_resamples"] as? Int == scores.reduce(0) { $0 + $1.contentResamples })
        #expect(fidelity["resampled_tasks"] as? Int == scores.filter { $0.resamples > 0 }.count)
        #expect(fidelity["below_threshold"] as? Int == scores.filter(\.isBelowThreshold).count)
        let total = scores.reduce(0) { $0 + $1.resamples }
        if total > 0 { #expect(output.stdout.contains("re-sampled after validation: \(total)"), "\(output.stdout)") }
        let human = try Laclip.run(["status", "--job", fixture.job.path])
        #expect(human.stdout.contains("median"), "\(human.stdout)")
    }
}
