import ArgumentParser
import CLIP
import CaptionIO
import Export
import Foundation
import Monitor
import RewriteQueue

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract:
            "Train a CLIP model on CPU, sampling one of original + rewrites per image each time it is drawn (LaCLIP).",
        discussion: """
            --data is a LaCLIP export folder (train.csv + NAME_<style>.txt rewrite files, as `laclip export \
            --format laclip` writes), a `laclip synth` folder, a training CSV given with --rewrites, or a \
            job directory (its rewrites are exported into --out first; a missing rewrite falls back to \
            the original caption).
            """)

    @Option(help: "A folder with train.csv (and rewrite .txt files), a LaCLIP training CSV, or a job directory.")
    var data: String

    @Option(
        help:
            "Comma-separated rewrite files line-aligned with the CSV (default: every *.txt beside it, or rewrites/*.txt)."
    )
    var rewrites: String?

    @Option(help: "Folder image paths are relative to (default: the CSV's folder).")
    var imageRoot: String?

    @Option(help: "Where checkpoints, metrics.jsonl, loss.svg and the tokenizer go.")
    var out: String

    @Option(help: "Model preset: tiny or small.")
    var model: String = "tiny"

    @Option(help: "Images per step.")
    var batchSize: Int = 64

    @Option(help: "Training steps (default: --epochs over the data).")
    var steps: Int?

    @Option(help: "Epochs, when --steps is not given.")
    var epochs: Int = 10

    @Option(help: "Peak learning rate (LaCLIP's CC3M recipe: 1e-3).")
    var lr: Float = 1e-3

    @Option(help: "Warm-up steps (default: one epoch).")
    var warmup: Int?

    @Option(help: "AdamW weight decay on weights of rank ≥ 2 (LaCLIP's CC3M recipe: 0.5).")
    var weightDecay: Float = 0.5

    @Option(help: "Clip the gradient norm to this (0 = off).")
    var clip: Float = 1.0

    @Flag(help: "Vanilla CLIP: train on the original captions only.")
    var noAugText = false

    @Option(help: "Seed of initialisation, crops and caption sampling.")
    var seed: UInt64 = 0

    @Option(help: "Compute threads (results are deterministic for a given seed and thread count).")
    var threads: Int = 1

    @Option(help: "Write a checkpoint every N steps.")
    var checkpointEvery: Int = 500

    @Flag(help: "Continue from the latest checkpoint in --out.")
    var resume = false

    @Option(
        help: "A tokenizer.bpe from another run to use instead of learning one (runs that share it share a vocabulary)."
    )
    var tokenizer: String?

    func run() throws {
        guard let config = CLIPConfiguration.preset(named: model) else {
            throw ValidationError("--model must be tiny or small (got '\(model)')")
        }
        var (csv, rewriteFiles) = (URL(fileURLWithPath: data), [URL]())
        var root = imageRoot.map(URL.init(fileURLWithPath:))
        if JobLayout(directory: URL(fileURLWithPath: data)).exists {
            (csv, rewriteFiles, root) = try TrainingData.export(
                job: URL(fileURLWithPath: data), into: URL(fileURLWithPath: out), imageRoot: root)
        } else {
            (csv, rewriteFiles) = try TrainingData.locate(data: data, rewrites: rewrites)
        }
        let options = TrainOptions(
            trainCSV: csv, rewriteFiles: rewriteFiles, imageRoot: root,
            outputDirectory: URL(fileURLWithPath: out), model: config, batchSize: batchSize, steps: steps,
            epochs: epochs,
            learningRate: lr, warmupSteps: warmup, weightDecay: weightDecay, maxGradientNorm: clip > 0 ? clip : nil,
            augmentText: !noAugText, seed: seed, threads: threads, checkpointEvery: checkpointEvery, resume: resume,
            tokenizerFile: tokenizer.map(URL.init(fileURLWithPath:)))
        print(
            "training \(model) on \(csv.path) with \(rewriteFiles.count) rewrite file(s)\(noAugText ? " (unused: --no-aug-text)" : "")"
        )
        let terminal = isatty(STDERR_FILENO) == 1
        var lastPlain = Date.distantPast
        let summary = try train(options: options) { progress in
            let line = String(
                format: "step %d/%d  loss %.4f  lr %.2e  logit scale %.2f  %.2f steps/s  %.0f img/s  ETA %@",
                progress.step, progress.totalSteps, progress.loss, progress.learningRate, progress.logitScale,
                progress.stepsPerSecond, progress.imagesPerSecond, DurationText.format(progress.secondsRemaining))
            if terminal {
                FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
            } else if Date().timeIntervalSince(lastPlain) >= 10 || progress.step == progress.totalSteps {
                FileHandle.standardError.write(Data((line + "\n").utf8))
                lastPlain = Date()
            }
        }
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
        print(
            "trained steps \(summary.firstStep)..\(summary.completedSteps) of \(summary.totalSteps) in \(String(format: "%.1f", summary.seconds)) s"
        )
        print("final loss \(summary.losses.last.map { String(format: "%.4f", $0) } ?? "-")")
        print("checkpoint: \(summary.checkpoints.last ?? "-")")
        print("metrics: \(summary.metricsFile)\nloss curve: \(summary.lossPlot)\ntokenizer: \(summary.tokenizerFile)")
    }

}

/// Where the training CSV and its rewrite files are, from `--data` and `--rewrites`.
enum TrainingData {
    /// Exports a job's captions and rewrites (LaCLIP format) into `out/data`; images are found
    /// beside the job's (first) source file unless an image root is given.
    static func export(job: URL, into out: URL, imageRoot: URL?) throws -> (URL, [URL], URL?) {
        let folder = out.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var options = ExportOptions(job: job, format: .laclip, out: folder.appendingPathComponent("train.csv"))
        options.missing = .original
        options.force = true
        let report = try Exporter.run(options)
        print(
            "exported \(report.rows) rows of \(job.path) to \(folder.path) (\(report.filledWithOriginal) missing rewrites filled with the original)"
        )
        let sources = try JobManifest(layout: JobLayout(directory: job), readonly: true).sources()
        let root = imageRoot ?? sources.first.map { URL(fileURLWithPath: $0.path).deletingLastPathComponent() }
        let rewrites = report.files.filter { $0.pathExtension == "txt" }.sorted { $0.path < $1.path }
        return (folder.appendingPathComponent("train.csv"), rewrites, root)
    }

    static func locate(data: String, rewrites: String?) throws -> (csv: URL, rewrites: [URL]) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: data, isDirectory: &isDirectory) else {
            throw ValidationError("\(data): no such file or folder")
        }
        let csv =
            isDirectory.boolValue
            ? URL(fileURLWithPath: data).appendingPathComponent("train.csv") : URL(fileURLWithPath: data)
        guard fm.fileExists(atPath: csv.path) else { throw ValidationError("\(csv.path): no training CSV here") }
        if let rewrites {
            return (csv, rewrites.split(separator: ",").map { URL(fileURLWithPath: String($0)) })
        }
        let folder = csv.deletingLastPathComponent()
        // A LaCLIP export names its rewrite files NAME_<style>.txt; synth writes rewrites/*.txt.
        var found = (try? LaCLIPFileNames.rewriteFiles(beside: csv)) ?? []
        if found.isEmpty {
            let nested = folder.appendingPathComponent("rewrites")
            found = ((try? fm.contentsOfDirectory(atPath: nested.path)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
                .map { nested.appendingPathComponent($0) }
        }
        return (csv, found)
    }
}
