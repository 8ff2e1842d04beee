import CLIP
import CLIPEval
import Foundation
import Tensor

/// The paper's comparison in miniature: a synthetic data set, its captions rewritten by the
/// local LLM through laclip's own `enqueue`, `run` and `export`, CLIP and LaCLIP trained with the
/// same seed, steps and model, both evaluated, and a report written.
///
/// Layout of `outputDirectory`: settings.json, data/ (synth), job/ (the rewrite job),
/// export/ (LaCLIP CSV + rewrite files), clip/ and laclip/ (training runs), clip-eval.json,
/// laclip-eval.json, loss.svg, zero-shot.svg, results.md, laclip.log (subcommand output).
public enum Experiment {
    public static func run(options: ExperimentOptions, progress: (String) -> Void = { _ in }) throws -> ExperimentResult {
        let fm = FileManager.default
        let out = options.outputDirectory
        if fm.fileExists(atPath: out.path), !((try? fm.contentsOfDirectory(atPath: out.path)) ?? []).isEmpty {
            throw ExperimentError(description: "\(out.path) is not empty; choose a new folder")
        }
        let laclip = LaclipProcess(executable: options.laclipExecutable, log: out.appendingPathComponent("laclip.log"))
        // Fail before any slow step when the binary cannot export yet.
        guard try laclip.hasSubcommand("export") else {
            throw ExperimentError(description: "\(options.laclipExecutable.path) has no `export` subcommand; build a laclip that includes it")
        }
        try fm.createDirectory(at: out, withIntermediateDirectories: true)
        var seconds: [String: Double] = [:]
        func phase<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            progress(name)
            let started = Date()
            defer { seconds[name] = Date().timeIntervalSince(started) }
            return try body()
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(options).write(to: out.appendingPathComponent("settings.json"))

        let dataFolder = out.appendingPathComponent("data")
        let synthOptions = Synth.Options(count: options.trainCount, heldOutCount: options.heldOutCount, imageSize: options.imageSize, seed: options.seed)
        let synth = try phase("synthetic data") { () throws -> Synth.Output in
            let output = try Synth.generate(options: synthOptions, into: dataFolder)
            try Synth.writeHeldOutCaptions(options: synthOptions, into: dataFolder)
            return output
        }

        let job = out.appendingPathComponent("job")
        try phase("rewrite") {
            try laclip.run(["enqueue", synth.trainCSV.path, "--job", job.path, "--seed", String(options.seed)]
                           + (options.styles.map { ["--styles", $0.joined(separator: ",")] } ?? []))
            try laclip.run(["run", "--job", job.path, "--server", options.server])
        }
        let exportFolder = out.appendingPathComponent("export")
        try fm.createDirectory(at: exportFolder, withIntermediateDirectories: true)
        let export = try phase("export") { () throws -> (csv: URL, rewrites: [URL]) in
            let target = exportFolder.appendingPathComponent("train.csv")
            try laclip.run(["export", "--job", job.path, "--format", "laclip", "--out", target.path, "--missing", "original"])
            return try exportedFiles(at: target)
        }

        var runs: [(name: String, summary: TrainingSummary, zeroShot: [(step: Int, top1: Double)])] = []
        let data = try EvaluationData.load(path: dataFolder)
        let heldOutImages = try data.labelledImages.map { try RGBImage(contentsOf: $0) }
        for (name, augment) in [("clip", false), ("laclip", true)] {
            // Both runs read the rewrite files, so the tokenizer (learned from every text) and the
            // batch order are identical; only LaCLIP samples rewrites into its batches.
            let trainOptions = TrainOptions(trainCSV: export.csv, rewriteFiles: export.rewrites, imageRoot: dataFolder,
                                            outputDirectory: out.appendingPathComponent(name), model: options.model,
                                            batchSize: options.batchSize, steps: options.steps, augmentText: augment,
                                            seed: options.seed, threads: options.threads, checkpointEvery: options.evaluateEvery)
            let summary = try phase("train \(name)") { try train(options: trainOptions) }
            let curve = try phase("zero-shot curve \(name)") { () throws -> [(step: Int, top1: Double)] in
                try summary.checkpoints.map { path -> (step: Int, top1: Double) in
                    let checkpoint = URL(fileURLWithPath: path)
                    let (model, tokenizer) = try Evaluation.load(checkpoint: checkpoint)
                    let classifier = ZeroShotClassifier(classNames: data.classNames, templates: .standard, model: model, tokenizer: tokenizer)
                    let top1 = classifier.evaluate(imageEmbeddings: Evaluation.embedImages(heldOutImages, model: model), labels: data.labels).top1
                    return (try Checkpoint.read(from: checkpoint).header.step, top1)
                }
            }
            runs.append((name, summary, curve))
        }

        var reports: [EvaluationReport] = []
        for run in runs {
            let report = try phase("evaluate \(run.name)") {
                try EvaluationSuite.run(checkpoint: URL(fileURLWithPath: run.summary.checkpoints.last!), data: data,
                                        options: .init(fewShot: .init(episodes: options.fewShotEpisodes, seed: options.seed)))
            }
            try Data(report.json().utf8).write(to: out.appendingPathComponent("\(run.name)-eval.json"))
            reports.append(report)
        }

        let colours = ["#1f77b4", "#d62728"], labels = ["CLIP", "LaCLIP"]
        let lossPlot = out.appendingPathComponent("loss.svg"), zeroShotPlot = out.appendingPathComponent("zero-shot.svg")
        let losses = runs.enumerated().map { i, run in
            LineChartSVG.Series(name: labels[i], colour: colours[i], points: smoothed(run.summary.losses).enumerated().map { (Double($0 + 1), Double($1)) })
        }
        try LineChartSVG(title: "Training loss (moving average of 20 steps)", xLabel: "step", yLabel: "contrastive loss", series: losses)
            .render().write(to: lossPlot, atomically: true, encoding: .utf8)
        let curves = runs.enumerated().map { i, run in
            LineChartSVG.Series(name: labels[i], colour: colours[i], points: run.zeroShot.map { (Double($0.step), $0.top1) })
        }
        try LineChartSVG(title: "Held-out zero-shot top-1 (\(data.classNames.count) classes)", xLabel: "step", yLabel: "top-1 accuracy", series: curves)
            .render().write(to: zeroShotPlot, atomically: true, encoding: .utf8)

        let rewriteSummary = try RewriteSummary(csv: export.csv, rewrites: export.rewrites)
        let markdown = ResultsMarkdown.render(options: options, clip: reports[0], laclip: reports[1],
                                              finalLosses: runs.map { Double($0.summary.losses.suffix(20).reduce(0, +)) / Double(min(20, $0.summary.losses.count)) },
                                              zeroShotCurves: runs.map(\.zeroShot), rewrites: rewriteSummary, seconds: seconds)
        let resultsFile = out.appendingPathComponent("results.md")
        try markdown.write(to: resultsFile, atomically: true, encoding: .utf8)
        return ExperimentResult(clip: reports[0], laclip: reports[1], resultsFile: resultsFile, lossPlot: lossPlot,
                                zeroShotPlot: zeroShotPlot, markdown: markdown, seconds: seconds)
    }

    /// The CSV export wrote and its rewrite files (`<stem>_<style>.txt` beside it). `--out` may
    /// have been taken as the CSV's path or as a folder to put it in.
    static func exportedFiles(at target: URL) throws -> (csv: URL, rewrites: [URL]) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        var csv = target
        if fm.fileExists(atPath: target.path, isDirectory: &isDirectory), isDirectory.boolValue {
            let names = try fm.contentsOfDirectory(atPath: target.path).filter { $0.hasSuffix(".csv") }.sorted()
            guard let first = names.first else { throw ExperimentError(description: "export wrote no CSV into \(target.path)") }
            csv = target.appendingPathComponent(first)
        }
        guard fm.fileExists(atPath: csv.path) else { throw ExperimentError(description: "export did not write \(csv.path)") }
        let folder = csv.deletingLastPathComponent(), stem = csv.deletingPathExtension().lastPathComponent
        let rewrites = try fm.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(stem + "_") && $0.hasSuffix(".txt") }.sorted()
            .map { folder.appendingPathComponent($0) }
        guard !rewrites.isEmpty else { throw ExperimentError(description: "export wrote no \(stem)_<style>.txt rewrite files beside \(csv.path)") }
        return (csv, rewrites)
    }

    static func smoothed(_ values: [Float], window: Int = 20) -> [Float] {
        var result: [Float] = [], sum: Float = 0
        for (i, v) in values.enumerated() {
            sum += v
            if i >= window { sum -= values[i - window] }
            result.append(sum / Float(min(i + 1, window)))
        }
        return result
    }
}

public struct ExperimentResult: Sendable {
    public var clip: EvaluationReport
    public var laclip: EvaluationReport
    public var resultsFile: URL
    public var lossPlot: URL
    public var zeroShotPlot: URL
    public var markdown: String
    /// Wall-clock seconds per phase.
    public var seconds: [String: Double]
}
