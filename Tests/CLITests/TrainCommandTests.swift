import Foundation
import RewriteQueue
import TestSupport
import Testing

/// `laclip synth` and `laclip train` end to end with the real binary.
@Suite("synth and train commands")
struct TrainCommandTests {
    @Test func synthThenTrainWritesCheckpointMetricsAndPlot() throws {
        let dir = try TemporaryDirectory("laclip-train")
        let synth = try Laclip.run("synth", "--out", dir.path("synth").path, "--n", "48", "--image-size", "32")
        #expect(synth.status == 0, "\(synth)")
        #expect(FileManager.default.fileExists(atPath: dir.path("synth/train.csv").path))
        let out = dir.path("run")
        let train = try Laclip.run(
            "train", "--data", dir.path("synth").path, "--out", out.path, "--steps", "3",
            "--batch-size", "16", "--checkpoint-every", "3")
        #expect(train.status == 0, "\(train)")
        #expect(train.stdout.contains("trained steps"))
        let metrics = try String(contentsOf: out.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        #expect(metrics.split(separator: "\n").count >= 3)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("loss.svg").path))
        let checkpoints = try FileManager.default.contentsOfDirectory(
            atPath: out.appendingPathComponent("checkpoints").path)
        #expect(!checkpoints.isEmpty)

        // Other captions learn another vocabulary, unless --tokenizer hands the first one over.
        #expect(
            try Laclip.run("synth", "--out", dir.path("other").path, "--n", "48", "--image-size", "32", "--seed", "5")
                .status == 0)
        let first = try String(contentsOf: out.appendingPathComponent("tokenizer.bpe"), encoding: .utf8)
        for (name, extra) in [
            ("learned", [String]()), ("shared", ["--tokenizer", out.appendingPathComponent("tokenizer.bpe").path]),
        ] {
            let run = try Laclip.run(
                [
                    "train", "--data", dir.path("other").path, "--out", dir.path(name).path, "--steps", "1",
                    "--batch-size", "16",
                ] + extra)
            #expect(run.status == 0, "\(run)")
            let tokenizer = try String(
                contentsOf: dir.path(name).appendingPathComponent("tokenizer.bpe"), encoding: .utf8)
            #expect((tokenizer == first) == (name == "shared"), "\(name)")
        }
    }

    @Test func trainsStraightFromAJobDirectory() throws {
        let dir = try TemporaryDirectory("laclip-train-job")
        #expect(try Laclip.run("synth", "--out", dir.path("synth").path, "--n", "32", "--image-size", "32").status == 0)
        let job = dir.path("job")
        #expect(
            try Laclip.run("enqueue", dir.path("synth/train.csv").path, "--job", job.path, "--styles", "chatgpt,human")
                .status == 0)
        // Rewrite half the tasks through the queue: the rest fall back to the original caption.
        let opened = try Job(directory: job)
        let queue = try opened.openShard(opened.shards[0])
        let claimed = try queue.claim(limit: 32, owner: "test", leaseMillis: 60_000)
        try queue.complete(
            claimed.map {
                TaskResult(
                    task: $0, text: "a rewritten \($0.caption)", model: "test", seed: 1, promptTokens: 1,
                    completionTokens: 1, latencyMs: 1, finishReason: "stop")
            }, worker: "test")
        try queue.release(owner: "test")
        let out = dir.path("run")
        let train = try Laclip.run("train", "--data", job.path, "--out", out.path, "--steps", "2", "--batch-size", "8")
        #expect(train.status == 0, "\(train)")
        #expect(train.stdout.contains("missing rewrites filled with the original"), "\(train.stdout)")
        let rewrites = try String(contentsOf: out.appendingPathComponent("data/train_chatgpt.txt"), encoding: .utf8)
        #expect(rewrites.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }.count == 32)
        #expect(rewrites.contains("a rewritten "))
    }
}
