import Foundation
import RewriteQueue
import TestSupport
import Testing

/// The real consumer of `laclip export --format openclip`: open_clip's own trainer
/// (`open_clip_train.main`, open-clip-torch 3.3.0) trains a few steps of a small model on
/// images from `laclip synth`, first on the original captions, then on a rewrite column.
@Suite(
    "open_clip trains on laclip's export", .serialized,
    .enabled(if: OpenCLIPVenv.unavailableReason == nil, "\(OpenCLIPVenv.unavailableReason ?? "")"))
struct OpenCLIPTrainingTests {
    @Test func openCLIPsTrainerLossIsFiniteAndFallsOnOriginalsAndRewrites() throws {
        let dir = try TemporaryDirectory("laclip-openclip")
        let synth = try Laclip.run("synth", "--out", dir.path("synth").path, "--n", "64", "--image-size", "64")
        try #require(synth.status == 0, "\(synth)")
        let job = dir.path("job")
        let enqueue = try Laclip.run(
            "enqueue", dir.path("synth/train.csv").path, "--job", job.path,
            "--styles", "chatgpt,bard")
        try #require(enqueue.status == 0, "\(enqueue)")
        // Rewrites as a faithful rewriter would write them: the caption's words, reworded.
        let opened = try Job(directory: job)
        for shard in opened.shards {
            let queue = try opened.openShard(shard)
            let claimed = try queue.claim(limit: 10_000, owner: "test", leaseMillis: 600_000)
            try queue.complete(
                claimed.map {
                    TaskResult(
                        task: $0, text: "a picture showing \($0.caption.lowercased())", model: "test", seed: 0,
                        promptTokens: 1, completionTokens: 1, latencyMs: 1, finishReason: "stop")
                }, worker: "test")
        }
        let csv = dir.path("train.csv")
        let export = try Laclip.run("export", "--job", job.path, "--format", "openclip", "--out", csv.path)
        try #require(export.status == 0, "\(export)")

        // A two-layer, width-128 CLIP (16-px patches of 64-px images) through open_clip's own
        // `local-dir:` config loader: ViT-S-32 (12 + 12 layers at width 384) costs 2 s a step
        // on two cores, and this test is about the export meeting the trainer, not the model.
        let model = dir.path("model")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        try Data(
            """
            {"model_cfg": {"embed_dim": 128,
              "vision_cfg": {"image_size": 64, "layers": 2, "width": 128, "patch_size": 16},
              "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 128, "heads": 4, "layers": 2}},
             "preprocess_cfg": {}}
            """.utf8
        ).write(to: model.appendingPathComponent("open_clip_config.json"))

        for column in ["title", "chatgpt"] {
            let logs = dir.path("logs-\(column)")
            let run = try ProcessRunner.run(
                OpenCLIPVenv.python,
                [
                    "-m", "open_clip_train.main", "--train-data", csv.path, "--dataset-type", "csv", "--csv-separator",
                    ",",
                    "--csv-img-key", "filepath", "--csv-caption-key", column, "--model", "local-dir:\(model.path)",
                    "--batch-size", "16", "--epochs", "10", "--lr", "1e-4", "--warmup", "4", "--workers", "0",
                    "--device", "cpu",
                    "--precision", "fp32", "--logs", logs.path, "--name", "run", "--save-frequency", "0",
                    "--log-every-n-steps", "1", "--report-to", "", "--seed", "0",
                ], environment: ["NO_ALBUMENTATIONS_UPDATE": "1", "OMP_NUM_THREADS": "2"],
                currentDirectory: dir.path("synth"))
            try #require(run.status == 0, "\(column): \(run)")
            let log = try String(contentsOf: logs.appendingPathComponent("run/out.log"), encoding: .utf8)
            let losses = log.split(separator: "\n").compactMap { line -> Double? in
                guard let range = line.range(of: "Contrastive_loss: ") ?? line.range(of: "Loss: ") else { return nil }
                return Double(line[range.upperBound...].prefix { $0 == "." || $0.isNumber })
            }
            print("open_clip on \(column): losses \(losses)")
            try #require(losses.count >= 4, "\(column): no losses in the log:\n\(log.suffix(2000))")
            #expect(losses.allSatisfy { $0.isFinite })
            // Learned something: the last ten steps' mean is below the first step and below
            // chance, ln(batch size), the loss of a model that scores every pair alike.
            let recent = losses.suffix(10).reduce(0, +) / Double(losses.suffix(10).count)
            #expect(
                recent < (losses.first ?? 0) && recent < Foundation.log(16.0), "\(column): loss did not fall: \(losses)"
            )
        }
    }
}

/// The optional venv `scripts/openclip-env.sh install` (`make openclip-env`) builds.
enum OpenCLIPVenv {
    static var python: URL {
        let environment = ProcessInfo.processInfo.environment
        if let override = environment["LACLIP_PY_OPENCLIP"] { return URL(fileURLWithPath: override) }
        let cache =
            environment["LACLIP_CACHE"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/laclip").path
        return URL(fileURLWithPath: cache).appendingPathComponent("venv-openclip-2/bin/python")
    }

    static var unavailableReason: String? {
        // The install script marks the venv complete only after open_clip imports.
        FileManager.default.isExecutableFile(atPath: python.path)
            && FileManager.default.fileExists(
                atPath: python.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
                    ".complete"
                )
                .path)
            ? nil
            : "no open_clip venv at \(python.path): `make openclip-env` builds it (full torch 2.13.0, several GB; the CPU wheel's torchvision does not import)"
    }
}
