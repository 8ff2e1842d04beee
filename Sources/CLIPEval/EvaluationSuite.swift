import CLIP
import CLIPData
import Foundation
import Tensor

/// Runs every metric on a frozen model: images are embedded once and shared by zero-shot,
/// linear probe, few-shot and (when the captions name the same files) retrieval.
public enum EvaluationSuite {
    public struct Options: Sendable {
        public var templates: ZeroShotTemplates
        public var linearProbe: LinearProbe.Options
        public var fewShot: FewShotEvaluation.Options
        public var imageBatchSize: Int

        public init(
            templates: ZeroShotTemplates = .standard, linearProbe: LinearProbe.Options = .init(),
            fewShot: FewShotEvaluation.Options = .init(), imageBatchSize: Int = 64
        ) {
            self.templates = templates
            self.linearProbe = linearProbe
            self.fewShot = fewShot
            self.imageBatchSize = imageBatchSize
        }
    }

    public static func run(checkpoint: URL, data: EvaluationData, options: Options = Options()) throws
        -> EvaluationReport
    {
        let started = Date()
        guard FileManager.default.isReadableFile(atPath: checkpoint.path) else {
            throw EvaluationError(description: "\(checkpoint.path): no such checkpoint (or not readable)")
        }
        let (model, tokenizer) = try Evaluation.load(checkpoint: checkpoint)
        var report = try run(model: model, tokenizer: tokenizer, data: data, options: options)
        report.checkpoint = checkpoint.path
        report.trainingStep = try? Checkpoint.read(from: checkpoint).header.step
        report.seconds["total"] = Date().timeIntervalSince(started)
        return report
    }

    public static func run(model: CLIPModel, tokenizer: Tokenizer, data: EvaluationData, options: Options = Options())
        throws -> EvaluationReport
    {
        let started = Date()
        var seconds: [String: Double] = [:]
        func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
            let t = Date()
            defer { seconds[stage] = Date().timeIntervalSince(t) }
            return try body()
        }
        guard !data.labelledImages.isEmpty else {
            throw EvaluationError(description: "no labelled images to evaluate on")
        }

        // Every distinct image once, labelled ones first.
        var order: [String: Int] = [:], files: [URL] = []
        for url in data.labelledImages + data.captionImages where order[url.standardizedFileURL.path] == nil {
            order[url.standardizedFileURL.path] = files.count
            files.append(url)
        }
        let embeddings = try timed("embed") { () throws -> [[Float]] in
            var result: [[Float]] = []
            for start in stride(from: 0, to: files.count, by: options.imageBatchSize) {
                let images = try files[start..<min(start + options.imageBatchSize, files.count)].map {
                    try RGBImage(contentsOf: $0)
                }
                result += Evaluation.embedImages(images, model: model, batchSize: options.imageBatchSize)
            }
            return result
        }
        let labelled = data.labelledImages.map { embeddings[order[$0.standardizedFileURL.path]!] }

        var zeroShot = timed("zero_shot") {
            ZeroShotClassifier(
                classNames: data.classNames, templates: options.templates, model: model, tokenizer: tokenizer
            )
            .evaluate(imageEmbeddings: labelled, labels: data.labels)
        }
        zeroShot.templateCount = options.templates.templates.count

        var skipped: [String: String] = [:]
        var retrieval: RetrievalResult?
        if data.captions.isEmpty {
            skipped["retrieval"] = "no held-out image-caption file"
        } else {
            retrieval = timed("retrieval") {
                let texts = Evaluation.embedTexts(data.captions, model: model, tokenizer: tokenizer)
                return RetrievalEvaluation.evaluate(
                    imageEmbeddings: data.captionImages.map { embeddings[order[$0.standardizedFileURL.path]!] },
                    textEmbeddings: texts)
            }
        }
        var probe: LinearProbeResult?
        do {
            probe = try timed("linear_probe") {
                try LinearProbe.evaluate(
                    features: FeatureMatrix(labelled), labels: data.labels, classCount: data.classNames.count,
                    options: options.linearProbe)
            }
        } catch let error as EvaluationError { skipped["linear_probe"] = error.description }
        var fewShot: FewShotResult?
        do {
            fewShot = try timed("few_shot") {
                try FewShotEvaluation.evaluate(features: labelled, labels: data.labels, options: options.fewShot)
            }
        } catch let error as EvaluationError { skipped["few_shot"] = error.description }
        seconds["total"] = Date().timeIntervalSince(started)
        return EvaluationReport(
            checkpoint: nil, trainingStep: nil, dataSources: data.sources, zeroShot: zeroShot, retrieval: retrieval,
            linearProbe: probe, fewShot: fewShot, skipped: skipped, seconds: seconds)
    }
}
