import CLIP
import CLIPData
import Foundation
import Synth
import Testing

@testable import CLIPEval

@Suite("Evaluation of a trained checkpoint on the synthetic data set")
struct EndToEndTests {
    @Test func heldOutCaptionsDescribeTheHeldOutImages() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "clipeval-captions-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = Synth.Options(count: 4, heldOutCount: 30, imageSize: 16, seed: 3)
        let output = try Synth.generate(options: options, into: folder)
        let before = try Data(contentsOf: output.heldOutCSV)
        let captionsFile = try Synth.writeHeldOutCaptions(options: options, into: folder)
        #expect(try Data(contentsOf: output.heldOutCSV) == before)
        let labelled = try LaCLIPDataset(csv: output.heldOutCSV), captioned = try LaCLIPDataset(csv: captionsFile)
        #expect(labelled.samples.map(\.image) == captioned.samples.map(\.image))
        for (l, c) in zip(labelled.samples, captioned.samples) {
            // A web caption may drop the colour or the shape, never both.
            let words = l.captions[0].split(separator: " ").map(String.init), caption = c.captions[0].lowercased()
            #expect(
                caption.contains(words[0]) || caption.contains(words[1]), "'\(c.captions[0])' for a \(l.captions[0])")
        }
        #expect(try Synth.writeHeldOutCaptions(options: options, into: folder) == captionsFile)
        #expect(
            try Data(contentsOf: captionsFile)
                == Data(contentsOf: Synth.writeHeldOutCaptions(options: options, into: folder)))
    }

    @Test func evaluatesATrainedCheckpointEndToEnd() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clipeval-e2e-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = Synth.Options(count: 64, heldOutCount: 240, imageSize: 32, seed: 1)
        let data = try Synth.generate(options: options, into: folder.appendingPathComponent("data"))
        try Synth.writeHeldOutCaptions(options: options, into: folder.appendingPathComponent("data"))
        let summary = try train(
            options: TrainOptions(
                trainCSV: data.trainCSV, outputDirectory: folder.appendingPathComponent("run"),
                model: .tiny, batchSize: 16, steps: 2, augmentText: false, checkpointEvery: 0))
        let checkpoint = URL(fileURLWithPath: try #require(summary.checkpoints.last))

        let fromFolder = try EvaluationData.load(path: folder.appendingPathComponent("data"))
        let fromCSV = try EvaluationData.load(path: data.heldOutCSV)
        #expect(fromFolder.labels == fromCSV.labels && fromFolder.captions == fromCSV.captions)
        #expect(
            fromFolder.labelledImages.count == 240 && fromFolder.captions.count == 240
                && fromFolder.classNames == Synth.classes)

        let report = try EvaluationSuite.run(
            checkpoint: checkpoint, data: fromFolder,
            options: .init(fewShot: .init(episodes: 100)))
        #expect(
            report.trainingStep == 2 && report.zeroShot.imageCount == 240
                && report.zeroShot.templateCount == ZeroShotTemplates.standard.templates.count)
        #expect((0...1).contains(report.zeroShot.top1) && report.zeroShot.top5 >= report.zeroShot.top1)
        let retrieval = try #require(report.retrieval)
        #expect(retrieval.count == 240 && retrieval.imageToText.recallAt10 >= retrieval.imageToText.recallAt1)
        #expect(report.linearProbe != nil && report.fewShot != nil, "skipped: \(report.skipped)")
        #expect(
            report.linearProbe!.trainCount + report.linearProbe!.validationCount + report.linearProbe!.testCount == 240)
        let decoded = try JSONDecoder().decode(EvaluationReport.self, from: Data(report.json().utf8))
        #expect(decoded == report)
        let table = report.table()
        for row in ["zero-shot top-1", "image→text R@1 / R@5 / R@10", "linear probe (test)", "5-way 5-shot kNN"] {
            #expect(table.contains(row))
        }
    }

    @Test func labelsOutsideTheClassListAreReportedWithTheirRow() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clipeval-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("a.png,red circle\nb.png,green moon\n".utf8).write(to: folder.appendingPathComponent("heldout.csv"))
        try Data("red circle\ngreen ring\n".utf8).write(to: folder.appendingPathComponent("classes.txt"))
        do {
            _ = try EvaluationData.load(path: folder)
            Issue.record("expected an error")
        } catch let error as EvaluationError {
            #expect(error.description == "heldout.csv:2: label 'green moon' is not in classes.txt")
        }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("classes.txt"))
        let data = try EvaluationData.load(path: folder.appendingPathComponent("heldout.csv"))
        #expect(data.classNames == ["green moon", "red circle"] && data.labels == [1, 0] && data.captions.isEmpty)
    }
}
