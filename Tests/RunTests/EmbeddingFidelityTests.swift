import Foundation
import RewriteQueue
import TestSupport
import Testing

/// `--fidelity embedding` end to end: the real `laclip` binary, a real llama-server for the
/// completions and a second one started with `--embeddings --pooling mean` for the scores.
@Suite("the embedding fidelity scorer against real llama-servers", .serialized)
final class EmbeddingFidelityTests {
    let completions: LlamaServerProcess
    let embeddings: LlamaServerProcess
    static let scorer = "embedding:SmolLM2-135M-Instruct.Q4_1.gguf"

    init() throws {
        completions = try LlamaServerProcess(slots: 2, threads: 1)
        // One slot: this llama.cpp pools wrong vectors for sequences that share a decode batch
        // (two slots, or two inputs of a request on two slots), up to 0.2 off in cosine.
        embeddings = try LlamaServerProcess(
            slots: 1, threads: 1, extraArguments: ["--embeddings", "--pooling", "mean"])
    }

    @Test func runGuardsOnEmbeddingScoresAndScoreRescoresInPlace() throws {
        // High for this model's cosines (its rewrites score about 0.5-0.95), so the guard fires.
        let threshold = 0.9
        let fixture = try JobFixture(captions: 5, styles: ["coco"])
        let run = try Laclip.run([
            "run", "--job", fixture.job.path, "--server", completions.url, "--concurrency", "2",
            "--resamples", "1", "--min-fidelity", String(threshold),
            "--fidelity", "embedding", "--embedding-server", embeddings.url,
        ])
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("finished: 5 rewrites done"), "\(run.stdout)")

        let job = try fixture.open()
        let shard = try #require(job.shards.first)
        let ran = try job.openShard(shard, readonly: true).storedScores()
        #expect(ran.count == 5)
        for score in ran {
            #expect(score.scorer == Self.scorer)
            #expect(score.minFidelity == threshold)
            let value = try #require(score.fidelity)
            #expect((0...1).contains(value))
            if value < threshold {
                #expect(score.isBelowThreshold)
                #expect(score.resamples == 1, "kept under the threshold before re-samples ran out: \(score)")
            }
        }
        #expect(ran.contains { $0.contentResamples > 0 }, "the guard never re-sampled on the embedding score: \(ran)")
        #expect(Set(ran.compactMap(\.fidelity)).count > 1, "every rewrite scored the same: \(ran)")

        // One rewrite made identical to its caption, then the whole job scored again in place.
        let file = job.layout.shard(named: shard.file)
        let edited = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "python3", "-c",
                """
                import sqlite3, sys
                db = sqlite3.connect(sys.argv[1])
                db.execute("UPDATE results SET text = (SELECT c.text FROM tasks t JOIN captions c ON c.id = t.caption_id "
                           "WHERE t.id = results.task_id) WHERE task_id = (SELECT MIN(task_id) FROM results)")
                db.commit()
                """, file.path,
            ])
        #expect(edited.status == 0, "\(edited)")
        let score = try Laclip.run([
            "score", "--job", fixture.job.path, "--fidelity", "embedding",
            "--embedding-server", embeddings.url, "--embedding-batch", "2",
        ])
        #expect(score.status == 0, "\(score)")
        #expect(score.stdout.contains("scored 5 rewrites (\(Self.scorer))"), "\(score.stdout)")

        let queue = try job.openShard(shard, readonly: true)
        let texts = Dictionary(uniqueKeysWithValues: try queue.allTasks().map { ($0.id, $0.resultText) })
        let rescored = try queue.storedScores()
        #expect(rescored.count == 5)
        var identical = 0
        for score in rescored {
            #expect(score.scorer == Self.scorer)
            let value = try #require(score.fidelity)
            #expect((0...1).contains(value))
            let caption = try #require(try queue.caption(score.id.caption)).text
            if texts[score.id] == caption {
                identical += 1
                #expect(value > 0.999, "a rewrite identical to its caption scored \(value)")
            } else {
                // The run and the rescore embedded this pair in different batches: the same
                // score up to batching's rounding, and short of an identical pair's.
                let before = try #require(ran.first { $0.id == score.id }?.fidelity)
                #expect(
                    abs(value - before) < 0.001,
                    "\(caption) → \(texts[score.id] ?? nil ?? ""): run \(before), score \(value)")
                #expect(value < 0.999, "\(caption) → \(texts[score.id] ?? nil ?? "") scored \(value)")
            }
            // The stored threshold is the run's: the rescore marks against it.
            #expect(score.minFidelity == threshold)
            #expect(score.isBelowThreshold == (value < threshold))
        }
        #expect(identical == 1)

        // Status counts the rescored rows, and the guard's marks, from the rebuilt counters.
        let status = try Laclip.run(["status", "--job", fixture.job.path, "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let fidelity = try #require(
            (report["fidelity"] as? [[String: Any]])?.first { $0["style"] as? String == "coco" })
        #expect(fidelity["scored"] as? Int == 5)
        #expect(fidelity["below_threshold"] as? Int == rescored.filter(\.isBelowThreshold).count)
    }
}

/// A server whose vectors depend on their batch is refused before any task is claimed.
@Suite("an embedding server with batch-dependent vectors")
struct BatchDependentEmbeddingServerTests {
    @Test func runAndScoreRefuseATwoSlotLlamaServer() throws {
        let twoSlots = try LlamaServerProcess(slots: 2, extraArguments: ["--embeddings", "--pooling", "mean"])
        let fixture = try JobFixture(captions: 2, styles: ["coco"])
        // `run` connects to its completion server first: this one serves completions too.
        for arguments in [["run", "--server", twoSlots.url], ["score"]] {
            let output = try Laclip.run(
                arguments + [
                    "--job", fixture.job.path, "--fidelity", "embedding",
                    "--embedding-server", twoSlots.url,
                ])
            #expect(output.status != 0, "\(output)")
            #expect(output.stderr.contains("--parallel 1") && output.stderr.contains(twoSlots.url), "\(output.stderr)")
        }
        #expect(try fixture.tasks().allSatisfy { $0.resultText == nil && $0.state == .pending })
    }
}

/// The options' rules, checked before anything connects.
@Suite("embedding scorer options")
struct EmbeddingScorerOptionTests {
    @Test(arguments: [
        ["run", "--fidelity", "embedding"],
        ["score", "--fidelity", "embedding"],
        ["run", "--embedding-server", "http://127.0.0.1:1"],
        ["score", "--embedding-model", "bge"],
        ["run", "--fidelity", "embedding", "--embedding-server", "not a url"],
        ["score", "--fidelity", "cosine"],
    ])
    func misuseIsAUsageError(arguments: [String]) throws {
        let fixture = try JobFixture(captions: 2, styles: ["coco"])
        let output = try Laclip.run(arguments + ["--job", fixture.job.path])
        #expect(output.status == 64, "\(output)")
        // Nothing was scored or rewritten.
        #expect(try fixture.tasks().allSatisfy { $0.resultText == nil })
    }
}
