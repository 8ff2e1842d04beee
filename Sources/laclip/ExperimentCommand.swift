import ArgumentParser
import CLIPExperiment
import Foundation

struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "CLIP vs LaCLIP in miniature: synth data, LLM rewrites, two training runs, evaluation, report.",
        discussion: """
            Needs a running LLM server (make server-start). Trains five runs with the same images, seed, \
            model and steps: CLIP, LaCLIP, LaCLIP on the rewrites that keep their caption's concepts (an \
            oracle), LaCLIP on the rewrites laclip's fidelity guard keeps (export --min-fidelity), and \
            LaCLIP on templated concept-keeping rewrites. Writes results.md, loss.svg, zero-shot.svg, \
            settings.json and every run under --out. The full run takes about an hour on two cores; \
            --quick a few minutes.
            """)

    @Option(help: "A new (or empty) folder for everything the experiment writes.")
    var out: String

    @Flag(help: "A few-minute run (32 captions, 60 steps) instead of the full one (2,500 captions, 2,000 steps).")
    var quick = false

    @Flag(
        help:
            "Reuse --out's synthetic data and rewrite job from an earlier run with the same data settings (finishing its rewrites if they were cut short); train and evaluate again."
    )
    var resume = false

    @Option(help: "Base URL of the LLM server.")
    var server: String = "http://127.0.0.1:8181"

    @Option(help: "The laclip binary to run enqueue, run and export with (default: this one).")
    var laclip: String?

    @Option(help: "Comma-separated meta-pair styles (default: every source).")
    var styles: String?

    @Option(help: "Training steps of each run (default: the preset's).")
    var steps: Int?

    @Option(
        help:
            "Seed of the training runs (default: the data seed); with --resume, another one measures run-to-run noise without rewriting."
    )
    var trainingSeed: UInt64?

    @Option(help: "The fidelity-guarded arm's export --min-fidelity.")
    var minFidelity: Double = ExperimentOptions.defaultMinFidelity

    @Option(help: "Compute threads for training and evaluation.")
    var threads: Int = 1

    func run() throws {
        let outURL = URL(fileURLWithPath: out)
        let binary =
            laclip.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var options =
            quick
            ? ExperimentOptions.quick(outputDirectory: outURL, laclipExecutable: binary, server: server)
            : ExperimentOptions.full(outputDirectory: outURL, laclipExecutable: binary, server: server)
        options.styles = styles.map { $0.split(separator: ",").map(String.init) }
        options.threads = threads
        if let steps { options.steps = steps }
        options.trainingSeed = trainingSeed
        options.minFidelity = minFidelity
        let started = Date()
        let result = try Experiment.run(options: options, resume: resume) { phase in
            FileHandle.standardError.write(
                Data(String(format: "[%6.0f s] %@\n", Date().timeIntervalSince(started), phase).utf8))
        }
        print(result.markdown)
        print("wrote \(result.resultsFile.path)")
    }
}
