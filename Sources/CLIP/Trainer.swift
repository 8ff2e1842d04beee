import CLIPData
import Foundation
import Tensor

/// Trains CLIP on a LaCLIP export (see `TrainOptions`), writing into the output folder:
/// `tokenizer.bpe`, `checkpoints/checkpoint-NNNNNNN.bin`, `metrics.jsonl` (one record per step)
/// and `loss.svg`. With `resume`, continues from the newest checkpoint there and reproduces the
/// uninterrupted run exactly (same seed, data and thread count).
public func train(options: TrainOptions, progress: (TrainingProgress) -> Void = { _ in }) throws -> TrainingSummary {
    let started = Date()
    let fileManager = FileManager.default
    let out = options.outputDirectory
    let checkpointFolder = out.appendingPathComponent("checkpoints")
    try fileManager.createDirectory(at: checkpointFolder, withIntermediateDirectories: true)
    ComputeThreads.set(options.threads)

    let dataset = try LaCLIPDataset(csv: options.trainCSV, rewrites: options.rewriteFiles, imageRoot: options.imageRoot)
    let schedule = try BatchSchedule(
        sampleCount: dataset.samples.count, batchSize: options.batchSize, seed: options.seed)
    let totalSteps = options.steps ?? options.epochs * schedule.stepsPerEpoch
    guard totalSteps >= 1 else {
        throw TrainingError(
            description: "the run has no steps (epochs \(options.epochs), steps \(String(describing: options.steps)))")
    }
    let warmup = options.warmupSteps ?? min(schedule.stepsPerEpoch, totalSteps / 10)
    let lrSchedule = LearningRateSchedule(
        peak: options.learningRate, floor: options.minimumLearningRate, warmupSteps: warmup, totalSteps: totalSteps)

    let existing = Checkpoint.files(in: checkpointFolder)
    // A fresh run must not leave another run's checkpoints where a later --resume would find them.
    guard options.resume || existing.isEmpty else {
        throw TrainingError(
            description:
                "\(checkpointFolder.path) already holds checkpoints; resume that run or choose another output folder")
    }
    let resumeFrom = existing.last
    let checkpoint = try resumeFrom.map { try Checkpoint.read(from: $0.url) }
    let tokenizer: Tokenizer
    if let checkpoint {
        let h = checkpoint.header
        guard h.seed == options.seed, h.batchSize == options.batchSize, h.sampleCount == dataset.samples.count,
            h.totalSteps == totalSteps
        else {
            throw CheckpointError(
                description:
                    "\(resumeFrom!.url.lastPathComponent) belongs to a different run (seed \(h.seed), batch \(h.batchSize), \(h.sampleCount) samples, \(h.totalSteps) steps)"
            )
        }
        tokenizer = try Tokenizer(fileContents: h.tokenizer, file: resumeFrom!.url.lastPathComponent)
    } else if let file = options.tokenizerFile {
        tokenizer = try Tokenizer(fileContents: String(contentsOf: file, encoding: .utf8), file: file.path)
        guard tokenizer.vocabularySize <= options.model.vocabularySize else {
            throw TrainingError(
                description:
                    "\(file.path) has \(tokenizer.vocabularySize) tokens; the \(options.model.vocabularySize)-token model cannot embed them"
            )
        }
    } else {
        tokenizer = try Tokenizer.learn(from: dataset.allTexts, vocabularySize: options.model.vocabularySize)
    }
    let tokenizerFile = out.appendingPathComponent("tokenizer.bpe")
    try tokenizer.save(to: tokenizerFile)

    let model = try CLIPModel(configuration: options.model, seed: options.seed)
    let optimizer = AdamW(
        parameters: model.parameters,
        configuration: AdamWConfiguration(
            beta1: options.beta1, beta2: options.beta2, epsilon: options.epsilon, weightDecay: options.weightDecay))
    try checkpoint?.restore(into: model, optimizer: optimizer)
    let firstStep = checkpoint?.header.step ?? 0
    let lastStep = min(options.stopAfterStep ?? totalSteps, totalSteps)

    let metricsFile = out.appendingPathComponent("metrics.jsonl")
    var history = try MetricsLog.read(metricsFile).filter { $0.step <= firstStep }
    try MetricsLog.rewrite(metricsFile, records: history)
    let metrics = try FileHandle(forWritingTo: metricsFile)
    defer { try? metrics.close() }
    try metrics.seekToEnd()

    let builder = BatchBuilder(
        dataset: dataset, tokenizer: tokenizer, schedule: schedule, resolution: options.model.imageResolution,
        contextLength: options.model.contextLength, augmentText: options.augmentText)
    let loader = PrefetchingBatchLoader(builder: builder, startStep: firstStep, depth: options.prefetchDepth)
    defer { loader.stop() }

    let tape = Tape()
    var losses: [Float] = []
    var checkpoints: [String] = []
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let loopStarted = Date()
    var step = firstStep
    while step < lastStep {
        let batch = try loader.next()
        let lossValue = model.computeGradients(images: batch.images, tokens: batch.tokens, tape: tape)
        guard lossValue.isFinite else {
            throw TrainingError(description: "loss became \(lossValue) at step \(step + 1)")
        }
        let rate = lrSchedule.rate(at: step)
        let gradientNorm = model.applyGradients(
            optimizer: optimizer, learningRate: rate, maxGradientNorm: options.maxGradientNorm)
        step += 1
        losses.append(lossValue)

        let elapsed = Date().timeIntervalSince(loopStarted)
        let stepsPerSecond = Double(step - firstStep) / max(elapsed, 1e-9)
        let record = MetricsRecord(
            step: step, epoch: schedule.epoch(ofStep: step - 1), loss: lossValue, lr: rate,
            logit_scale: exp(model.logitScale[flat: 0]), grad_norm: gradientNorm,
            images_per_second: stepsPerSecond * Double(options.batchSize))
        history.append(record)
        try metrics.write(encoder.encode(record) + Data("\n".utf8))

        var written: String?
        if (options.checkpointEvery > 0 && step % options.checkpointEvery == 0) || step == lastStep {
            let url = checkpointFolder.appendingPathComponent(Checkpoint.fileName(step: step))
            try Checkpoint(
                step: step, totalSteps: totalSteps, seed: options.seed, batchSize: options.batchSize,
                sampleCount: dataset.samples.count, model: model, tokenizer: tokenizer, optimizer: optimizer
            ).write(to: url)
            try LossPlot.svg(history).write(
                to: out.appendingPathComponent("loss.svg"), atomically: true, encoding: .utf8)
            checkpoints.append(url.path)
            written = url.path
        }
        progress(
            TrainingProgress(
                step: step, totalSteps: totalSteps, epoch: record.epoch, loss: lossValue, learningRate: rate,
                logitScale: record.logit_scale, gradientNorm: gradientNorm, stepsPerSecond: stepsPerSecond,
                imagesPerSecond: record.images_per_second,
                secondsRemaining: Double(totalSteps - step) / max(stepsPerSecond, 1e-9),
                checkpoint: written))
    }
    let plot = out.appendingPathComponent("loss.svg")
    try LossPlot.svg(history).write(to: plot, atomically: true, encoding: .utf8)
    return TrainingSummary(
        firstStep: firstStep, completedSteps: step, totalSteps: totalSteps, losses: losses, checkpoints: checkpoints,
        metricsFile: metricsFile.path, lossPlot: plot.path, tokenizerFile: tokenizerFile.path,
        seconds: Date().timeIntervalSince(started))
}

/// A run that cannot start or continue.
public struct TrainingError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

enum MetricsLog {
    static func read(_ url: URL) throws -> [MetricsRecord] {
        guard let data = try? Data(contentsOf: url) else { return [] }
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).map {
            try decoder.decode(MetricsRecord.self, from: Data($0))
        }
    }

    static func rewrite(_ url: URL, records: [MetricsRecord]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = Data()
        for record in records { data += try encoder.encode(record) + Data("\n".utf8) }
        try data.write(to: url, options: .atomic)
    }
}
