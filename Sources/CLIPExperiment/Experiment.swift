import CLIP
import CLIPData
import CLIPEval
import CaptionIO
import Charts
import Foundation
import Monitor
import Synth
import Tensor

/// The paper's comparison in miniature: a synthetic data set, its captions rewritten by the
/// local LLM through laclip's own `enqueue`, `run` and `export`, CLIP and LaCLIP trained with the
/// same seed, steps, model and tokenizer, every run evaluated, and a report written. Two control
/// arms separate the recipe from the rewriter: LaCLIP on the LLM rewrites that keep their
/// original's colour and shape (an oracle that knows the synthetic concepts), and LaCLIP on
/// templated rewrites that keep every concept. A fifth arm is what a user can do without an
/// oracle: the same job's rewrites through laclip's fidelity guard (`export --min-fidelity`).
///
/// Layout of `outputDirectory`: settings.json, data/ (synth, with the templated rewrites),
/// job/ (the rewrite job), export/ (LaCLIP CSV + rewrite files), export-faithful/, export-guarded/, tokenizer.bpe,
/// one folder and `<arm>-eval.json` per arm, loss.svg, zero-shot.svg, results.md, laclip.log.
public enum Experiment {
    /// With `resume`, a folder of an earlier run with the same data settings keeps its data and
    /// rewrite job (`laclip run` finishes whatever is left of it); training and evaluation start over.
    public static func run(options: ExperimentOptions, resume: Bool = false, progress: (String) -> Void = { _ in })
        throws -> ExperimentResult
    {
        let fm = FileManager.default
        let out = options.outputDirectory
        let laclip = LaclipProcess(executable: options.laclipExecutable, log: out.appendingPathComponent("laclip.log"))
        // Fail before any slow step when the binary cannot export yet.
        guard try laclip.hasSubcommand("export") else {
            throw ExperimentError(
                description:
                    "\(options.laclipExecutable.path) has no `export` subcommand; build a laclip that includes it")
        }
        try prepare(out, for: options, resume: resume)
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
        let synthOptions = Synth.Options(
            count: options.trainCount, heldOutCount: options.heldOutCount, imageSize: options.imageSize,
            seed: options.seed, rewriteStyles: templateStyles)
        // Deterministic, so a resumed run rewrites the very files its job was made from.
        let synth = try phase("synthetic data") { () throws -> Synth.Output in
            let output = try Synth.generate(options: synthOptions, into: dataFolder)
            try Synth.writeHeldOutCaptions(options: synthOptions, into: dataFolder)
            return output
        }

        let job = out.appendingPathComponent("job")
        try phase("rewrite") {
            if !fm.fileExists(atPath: job.path) {
                try laclip.run(
                    ["enqueue", synth.trainCSV.path, "--job", job.path, "--seed", String(options.seed)]
                        + (options.styles.map { ["--styles", $0.joined(separator: ",")] } ?? []))
            }
            try laclip.run(["run", "--job", job.path, "--server", options.server])
        }
        let exportFolder = out.appendingPathComponent("export")
        try fm.createDirectory(at: exportFolder, withIntermediateDirectories: true)
        let export = try phase("export") { () throws -> (csv: URL, rewrites: [URL]) in
            let target = exportFolder.appendingPathComponent("train.csv")
            try laclip.run([
                "export", "--job", job.path, "--format", "laclip", "--out", target.path, "--missing", "original",
            ])
            return try exportedFiles(at: target)
        }
        // The guard as an export filter, not run-time re-sampling: every LLM arm then trains on the
        // very same generated rewrites, so the guard is the only difference between the raw and
        // the guarded arm (re-sampling would need a second rewrite job, another hour here).
        // `score` first: a resumed job may predate scoring.
        let guardedFolder = out.appendingPathComponent("export-guarded")
        try fm.createDirectory(at: guardedFolder, withIntermediateDirectories: true)
        let guardedExport = try phase("export guarded") { () throws -> (csv: URL, rewrites: [URL]) in
            try laclip.run(["score", "--job", job.path])
            let target = guardedFolder.appendingPathComponent("train.csv")
            try laclip.run([
                "export", "--job", job.path, "--format", "laclip", "--out", target.path, "--missing", "original",
                "--min-fidelity", String(options.effectiveMinFidelity),
            ])
            return try exportedFiles(at: target)
        }
        // Read in process, through the same collector `laclip status` uses: one schema, one home.
        let jobFigures: StatusReport
        do { jobFigures = try StatusCollector(directory: job).collect() } catch {
            throw ExperimentError(description: "\(job.path): cannot read the rewrite job's status: \(error)")
        }
        let exported = try LaCLIPDataset(csv: export.csv, rewrites: export.rewrites)
        let guarded = try LaCLIPDataset(csv: guardedExport.csv, rewrites: guardedExport.rewrites)
        let faithful = try FaithfulRewrites.write(
            exported, rewrites: export.rewrites, into: out.appendingPathComponent("export-faithful"))
        let arms = [
            ExperimentArm(
                name: "clip", label: "CLIP", colour: "#1f77b4", trainCSV: export.csv, rewriteFiles: export.rewrites,
                augmentText: false, about: "the original captions only"),
            ExperimentArm(
                name: "laclip", label: "LaCLIP", colour: "#d62728", trainCSV: export.csv, rewriteFiles: export.rewrites,
                augmentText: true,
                about: "each caption drawn uniformly from the original and its \(export.rewrites.count) LLM rewrites"),
            ExperimentArm(
                name: "laclip-faithful", label: "LaCLIP, faithful rewrites", colour: "#ff7f0e", trainCSV: export.csv,
                rewriteFiles: faithful, augmentText: true,
                about:
                    "as LaCLIP, but a rewrite that drops a colour or shape of its original falls back to the original (an oracle: it knows the synthetic concepts)"
            ),
            ExperimentArm(
                name: "laclip-guarded", label: "LaCLIP, fidelity-guarded", colour: "#9467bd",
                trainCSV: guardedExport.csv,
                rewriteFiles: guardedExport.rewrites, augmentText: true,
                about:
                    "as LaCLIP, but a rewrite whose lexical fidelity is under \(options.effectiveMinFidelity) falls back to the original (`laclip export --min-fidelity \(options.effectiveMinFidelity)`, no oracle)"
            ),
            ExperimentArm(
                name: "laclip-template", label: "LaCLIP, template rewrites", colour: "#2ca02c",
                trainCSV: synth.trainCSV,
                rewriteFiles: synth.rewriteFiles, augmentText: true,
                about:
                    "as LaCLIP, with \(templateStyles) templated sentences per caption that keep every concept (what a faithful rewriter would give)"
            ),
        ]
        // One vocabulary for every arm, learned from every text any arm can sample.
        let tokenizerFile = out.appendingPathComponent("tokenizer.bpe")
        let texts = try exported.allTexts + LaCLIPDataset(csv: synth.trainCSV, rewrites: synth.rewriteFiles).allTexts
        try Tokenizer.learn(from: texts, vocabularySize: options.model.vocabularySize).save(to: tokenizerFile)

        let data = try EvaluationData.load(path: dataFolder)
        let heldOutImages = try data.labelledImages.map { try RGBImage(contentsOf: $0) }
        var results: [ExperimentResult.Arm] = []
        for arm in arms {
            let trainOptions = TrainOptions(
                trainCSV: arm.trainCSV, rewriteFiles: arm.rewriteFiles, imageRoot: dataFolder,
                outputDirectory: out.appendingPathComponent(arm.name), model: options.model,
                batchSize: options.batchSize, steps: options.steps, augmentText: arm.augmentText,
                seed: options.effectiveTrainingSeed, threads: options.threads, checkpointEvery: options.evaluateEvery,
                tokenizerFile: tokenizerFile)
            let summary = try phase("train \(arm.name)") { try train(options: trainOptions) }
            let curve = try phase("zero-shot curve \(arm.name)") { () throws -> [ZeroShotPoint] in
                try summary.checkpoints.map { path -> ZeroShotPoint in
                    let checkpoint = URL(fileURLWithPath: path)
                    let (model, tokenizer) = try Evaluation.load(checkpoint: checkpoint)
                    let classifier = ZeroShotClassifier(
                        classNames: data.classNames, templates: .standard, model: model, tokenizer: tokenizer)
                    let top1 = classifier.evaluate(
                        imageEmbeddings: Evaluation.embedImages(heldOutImages, model: model), labels: data.labels
                    ).top1
                    return ZeroShotPoint(step: try Checkpoint.read(from: checkpoint).header.step, top1: top1)
                }
            }
            let report = try phase("evaluate \(arm.name)") {
                try EvaluationSuite.run(
                    checkpoint: URL(fileURLWithPath: summary.checkpoints.last!), data: data,
                    options: .init(fewShot: .init(episodes: options.fewShotEpisodes, seed: options.seed)))
            }
            try Data(report.json().utf8).write(to: out.appendingPathComponent("\(arm.name)-eval.json"))
            results.append(
                .init(
                    name: arm.name, label: arm.label, about: arm.about, report: report, losses: summary.losses,
                    zeroShot: curve))
        }

        let lossPlot = out.appendingPathComponent("loss.svg"),
            zeroShotPlot = out.appendingPathComponent("zero-shot.svg")
        let losses = zip(arms, results).map { arm, result in
            LineChartSVG.Series(
                name: arm.label, colour: arm.colour,
                points: smoothed(result.losses).enumerated().map { (Double($0 + 1), Double($1)) })
        }
        try LineChartSVG(
            title: "Training loss (moving average of 20 steps)", xLabel: "step", yLabel: "contrastive loss",
            series: losses
        )
        .render().write(to: lossPlot, atomically: true, encoding: .utf8)
        let curves = zip(arms, results).map { arm, result in
            LineChartSVG.Series(
                name: arm.label, colour: arm.colour, points: result.zeroShot.map { (Double($0.step), 100 * $0.top1) })
        }
        let chance = 100 / Double(max(data.classNames.count, 1))
        try LineChartSVG(
            title: "Held-out zero-shot top-1 (\(data.classNames.count) classes)", xLabel: "step",
            yLabel: "top-1 accuracy (%)",
            series: curves, yIncludes: [0],
            references: [.init(y: chance, label: String(format: "chance %.1f%%", chance))]
        )
        .render().write(to: zeroShotPlot, atomically: true, encoding: .utf8)

        let rewriteSummary = RewriteSummary(exported, guarded: guarded, csv: export.csv)
        let markdown = ResultsMarkdown.render(
            options: options, arms: results, rewrites: rewriteSummary, job: jobFigures, seconds: seconds)
        let resultsFile = out.appendingPathComponent("results.md")
        try markdown.write(to: resultsFile, atomically: true, encoding: .utf8)
        return ExperimentResult(
            arms: results, resultsFile: resultsFile, lossPlot: lossPlot, zeroShotPlot: zeroShotPlot,
            markdown: markdown, seconds: seconds)
    }

    /// Concept-keeping templated rewrites per caption in the synthetic data (the control arm).
    static let templateStyles = 4

    /// Creates `out`, or on `resume` clears an earlier run's training and evaluation from it,
    /// keeping its data and rewrite job once their settings are known to match.
    static func prepare(_ out: URL, for options: ExperimentOptions, resume: Bool) throws {
        let fm = FileManager.default
        let existing = (try? fm.contentsOfDirectory(atPath: out.path)) ?? []
        guard !existing.isEmpty else { return try fm.createDirectory(at: out, withIntermediateDirectories: true) }
        guard resume else {
            throw ExperimentError(
                description: "\(out.path) is not empty; choose a new folder, or --resume to reuse its rewrites")
        }
        let settingsFile = out.appendingPathComponent("settings.json")
        guard let previous = try? JSONDecoder().decode(ExperimentOptions.self, from: Data(contentsOf: settingsFile))
        else {
            throw ExperimentError(
                description: "\(out.path) holds no readable settings.json of an earlier experiment; cannot --resume it")
        }
        let differences = options.dataDifferences(from: previous)
        guard differences.isEmpty else {
            throw ExperimentError(
                description:
                    "\(out.path) was made with other data settings (\(differences.joined(separator: ", "))); --resume needs the same ones"
            )
        }
        for name in existing where !["data", "job", "laclip.log", "settings.json"].contains(name) {
            try fm.removeItem(at: out.appendingPathComponent(name))
        }
    }

    /// The CSV export wrote and its rewrite files (`<stem>_<style>.txt` beside it). `--out` may
    /// have been taken as the CSV's path or as a folder to put it in.
    static func exportedFiles(at target: URL) throws -> (csv: URL, rewrites: [URL]) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        var csv = target
        if fm.fileExists(atPath: target.path, isDirectory: &isDirectory), isDirectory.boolValue {
            let names = try fm.contentsOfDirectory(atPath: target.path).filter { $0.hasSuffix(".csv") }.sorted()
            guard let first = names.first else {
                throw ExperimentError(description: "export wrote no CSV into \(target.path)")
            }
            csv = target.appendingPathComponent(first)
        }
        guard fm.fileExists(atPath: csv.path) else {
            throw ExperimentError(description: "export did not write \(csv.path)")
        }
        let stem = csv.deletingPathExtension().lastPathComponent
        let rewrites = try LaCLIPFileNames.rewriteFiles(beside: csv)
        guard !rewrites.isEmpty else {
            throw ExperimentError(description: "export wrote no \(stem)_<style>.txt rewrite files beside \(csv.path)")
        }
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

public struct ZeroShotPoint: Sendable, Equatable {
    public var step: Int
    public var top1: Double
}

public struct ExperimentResult: Sendable {
    public struct Arm: Sendable {
        public var name: String
        public var label: String
        public var about: String
        public var report: EvaluationReport
        public var losses: [Float]
        public var zeroShot: [ZeroShotPoint]
    }

    /// CLIP first, then the LaCLIP arms.
    public var arms: [Arm]
    public var resultsFile: URL
    public var lossPlot: URL
    public var zeroShotPlot: URL
    public var markdown: String
    /// Wall-clock seconds per phase.
    public var seconds: [String: Double]

    public func report(_ name: String) -> EvaluationReport? { arms.first { $0.name == name }?.report }
}
