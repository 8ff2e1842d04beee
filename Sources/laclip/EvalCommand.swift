import ArgumentParser
import CLIPEval
import Foundation
import Tensor

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a CLIP checkpoint: zero-shot, retrieval, linear probe and few-shot accuracy.",
        discussion: """
            --data is a synth folder or its labelled CSV (image_path,label, no header) with classes.txt \
            beside it; retrieval uses heldout-captions.csv (or <stem>-captions.csv, or --captions) \
            when present.
            """)

    @Option(help: "A checkpoint written by training (checkpoint-NNNNNNN.bin).")
    var checkpoint: String

    @Option(help: "A folder holding heldout.csv and classes.txt, or a labelled CSV.")
    var data: String

    @Option(
        help: "Zero-shot templates, one per line with {} (default: the built-in set, Prompts/zeroshot-templates.txt).")
    var templates: String?

    @Option(help: "Held-out image_path,caption CSV for retrieval.")
    var captions: String?

    @Option(help: "Few-shot episodes to average over.")
    var episodes: Int = 1000

    @Option(help: "Seed of the probe split and of the few-shot episodes.")
    var seed: UInt64 = 0

    @Option(help: "Compute threads (matrix products and the loops between them).")
    var threads: Int = 1

    @Flag(help: "Print the report as JSON instead of a table.")
    var json = false

    func validate() throws {
        if episodes < 1 { throw ValidationError("--episodes must be at least 1") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        ComputeThreads.set(threads)
        let templateSet = try templates.map { try ZeroShotTemplates.load(url: URL(fileURLWithPath: $0)) } ?? .standard
        let dataset = try EvaluationData.load(
            path: URL(fileURLWithPath: data), captions: captions.map { URL(fileURLWithPath: $0) })
        let options = EvaluationSuite.Options(
            templates: templateSet, linearProbe: .init(seed: seed),
            fewShot: .init(episodes: episodes, seed: seed))
        let report = try EvaluationSuite.run(
            checkpoint: URL(fileURLWithPath: checkpoint), data: dataset, options: options)
        print(json ? try report.json() : report.table())
    }
}
