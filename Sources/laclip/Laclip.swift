import ArgumentParser
import Logging

@main
struct Laclip: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "laclip",
        abstract: "Rewrite every caption of an image-text dataset with a local LLM (the LaCLIP recipe).",
        subcommands: [
            EnqueueCommand.self, InfoCommand.self, RunCommand.self, StatusCommand.self, ExportCommand.self,
            PromptCommand.self, RetryCommand.self, ScoreCommand.self, SynthCommand.self, TrainCommand.self,
            EvalCommand.self,
            ExperimentCommand.self, SlurmCommand.self,
        ])

    static func bootstrapLogging(verbose: Bool) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = verbose ? .debug : .info
            return handler
        }
    }
}
