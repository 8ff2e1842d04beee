import CLIPEval
import Foundation
import Tensor
import Testing

@testable import CLIP
@testable import CLIPData
@testable import Synth

/// Small enough that a debug-build step takes milliseconds.
let trainingTestConfiguration = CLIPConfiguration(
    imageResolution: 16, patchSize: 4, visionWidth: 32, visionDepth: 1, visionHeads: 2,
    contextLength: 16, vocabularySize: 700, textWidth: 32, textDepth: 1, textHeads: 2, embedDimension: 32)

@Suite("Training loop", .serialized)
struct TrainingTests {
    @Test func lossFallsAndTrainSetRetrievalBeatsChance() throws {
        let scratch = try ScratchDirectory("train")
        defer { scratch.remove() }
        let data = try Synth.generate(
            options: Synth.Options(count: 64, heldOutCount: 0, imageSize: 32, seed: 3, rewriteStyles: 2),
            into: scratch.file("data"))
        let options = TrainOptions(
            trainCSV: data.trainCSV, rewriteFiles: data.rewriteFiles, outputDirectory: scratch.file("run"),
            model: trainingTestConfiguration, batchSize: 32, steps: 120, learningRate: 2e-3, warmupSteps: 10,
            weightDecay: 0.1,
            seed: 1, checkpointEvery: 0)
        let clock = ContinuousClock()
        var summary: TrainingSummary?
        let elapsed = try clock.measure { summary = try train(options: options) }
        let losses = summary!.losses
        let early = losses.prefix(10).reduce(0, +) / 10, late = losses.suffix(10).reduce(0, +) / 10
        print("training test: \(losses.count) steps in \(elapsed), loss \(early) → \(late)")
        #expect(losses.count == 120)
        #expect(late < 0.6 * early, "loss \(early) → \(late)")

        let (model, tokenizer) = try Evaluation.load(checkpoint: URL(fileURLWithPath: summary!.checkpoints.last!))
        let dataset = try LaCLIPDataset(csv: data.trainCSV)
        let images = try dataset.samples.map { try RGBImage(contentsOf: $0.image) }
        let metrics = RetrievalEvaluation.evaluate(
            imageEmbeddings: Evaluation.embedImages(images, model: model),
            textEmbeddings: Evaluation.embedTexts(
                dataset.samples.map { $0.captions[0] }, model: model, tokenizer: tokenizer)
        ).imageToText
        print(
            "training test: train-set image→text R@1 \(metrics.recallAt1), R@5 \(metrics.recallAt5) (chance \(1.0 / 64))"
        )
        // Chance is 1/64 ≈ 0.016.
        #expect(metrics.recallAt1 >= 0.15)
        #expect(FileManager.default.fileExists(atPath: summary!.lossPlot))
        #expect(try MetricsLog.read(URL(fileURLWithPath: summary!.metricsFile)).map(\.loss) == losses)
    }

    @Test func resumingFromACheckpointReproducesTheUninterruptedRun() throws {
        let scratch = try ScratchDirectory("resume")
        defer { scratch.remove() }
        let data = try Synth.generate(
            options: Synth.Options(count: 40, heldOutCount: 0, imageSize: 24, seed: 5, rewriteStyles: 4),
            into: scratch.file("data"))
        func options(_ folder: String, stopAfter: Int? = nil, resume: Bool = false) -> TrainOptions {
            // 40 samples in batches of 16: 2 steps per epoch, so the run crosses epochs and the
            // interruption falls mid-schedule (during the cosine decay, after warm-up).
            TrainOptions(
                trainCSV: data.trainCSV, rewriteFiles: data.rewriteFiles, outputDirectory: scratch.file(folder),
                model: trainingTestConfiguration, batchSize: 16, steps: 14, learningRate: 2e-3, warmupSteps: 3,
                seed: 9, checkpointEvery: 4, resume: resume, stopAfterStep: stopAfter)
        }
        let whole = try train(options: options("whole"))
        #expect(
            whole.checkpoints.map { URL(fileURLWithPath: $0).lastPathComponent }
                == [
                    "checkpoint-0000004.bin", "checkpoint-0000008.bin", "checkpoint-0000012.bin",
                    "checkpoint-0000014.bin",
                ])

        let interrupted = try train(options: options("parts", stopAfter: 6))
        #expect(interrupted.completedSteps == 6 && interrupted.losses == Array(whole.losses.prefix(6)))
        // A stale record past the checkpoint (a crash after logging step 7) must not survive.
        let metricsURL = URL(fileURLWithPath: interrupted.metricsFile)
        let handle = try FileHandle(forWritingTo: metricsURL)
        try handle.seekToEnd()
        try handle.write(
            contentsOf: Data(
                #"{"epoch":3,"grad_norm":1,"images_per_second":1,"logit_scale":1,"loss":9,"lr":0,"step":7}"#.utf8 + [10]
            ))
        try handle.close()

        let resumed = try train(options: options("parts", resume: true))
        #expect(resumed.firstStep == 6 && resumed.completedSteps == 14)
        #expect(resumed.losses == Array(whole.losses.suffix(8)))
        let wholeLog = try MetricsLog.read(URL(fileURLWithPath: whole.metricsFile))
        let partsLog = try MetricsLog.read(metricsURL)
        #expect(partsLog.map(\.step) == Array(1...14))
        #expect(partsLog.map(\.loss) == wholeLog.map(\.loss))
        #expect(partsLog.map(\.lr) == wholeLog.map(\.lr))
        let finalWhole = try Checkpoint.read(from: URL(fileURLWithPath: whole.checkpoints.last!))
        let finalParts = try Checkpoint.read(from: URL(fileURLWithPath: resumed.checkpoints.last!))
        #expect(finalWhole.parameters == finalParts.parameters)
        #expect(finalWhole.secondMoments == finalParts.secondMoments)

        // A fresh run does not start over another run's checkpoints.
        #expect(throws: TrainingError.self) { try train(options: options("whole")) }
        // A checkpoint of another run is refused rather than silently mixed in.
        var other = options("parts", resume: true)
        other.seed = 10
        #expect(throws: CheckpointError.self) { try train(options: other) }
    }

    @Test func scheduleWarmsUpLinearlyThenDecaysToTheFloor() {
        let schedule = LearningRateSchedule(peak: 1e-3, floor: 1e-5, warmupSteps: 4, totalSteps: 20)
        #expect(schedule.rate(at: 0) == 2.5e-4 && schedule.rate(at: 3) == 1e-3)
        #expect(abs(schedule.rate(at: 4) - 1e-3) < 1e-9)
        #expect(abs(schedule.rate(at: 19) - 1e-5) < 1e-9)
        let decay = (4..<20).map { schedule.rate(at: $0) }
        #expect(zip(decay, decay.dropFirst()).allSatisfy { $0 > $1 })
        // Half way through the decay the cosine is at its midpoint.
        let mid = LearningRateSchedule(peak: 1, floor: 0, warmupSteps: 0, totalSteps: 3)
        #expect(abs(mid.rate(at: 1) - 0.5) < 1e-6)
    }
}
