import ArgumentParser
import Foundation
import Monitor
import RewriteQueue

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a job's progress: shards, styles, throughput, ETA, workers, failures, dead tasks.",
        discussion: """
            Reads the job through read-only connections: it never blocks or slows running workers.
            --watch redraws in place on a terminal (Ctrl-C to quit) and prints one line per interval
            otherwise; NO_COLOR turns colours off. --json prints the documented schema
            (schema_version 1); with --watch, one JSON object per line per interval.
            """)

    @Option(help: "The job directory.")
    var job: String

    @Flag(help: "Refresh every SECONDS (default 2) until interrupted.")
    var watch = false

    @Argument(help: ArgumentHelp("Seconds between refreshes with --watch.", valueName: "SECONDS"))
    var seconds: Double?

    @Flag(help: "With --watch: exit once no task is pending or in flight.")
    var untilComplete = false

    @Flag(help: "Print JSON (schema_version 1) instead of the human display.")
    var json = false

    @Option(
        help:
            "Also show progress per partition of N (the shards `laclip run --partition I/N` works; a Slurm array of N tasks)."
    )
    var partitions: Int?

    func validate() throws {
        if seconds != nil && !watch {
            throw ValidationError("SECONDS is the --watch interval: use --watch \(seconds!)")
        }
        if let seconds, !(seconds >= 0.1) { throw ValidationError("--watch needs at least 0.1 seconds") }
        if let partitions, partitions < 1 { throw ValidationError("--partitions must be at least 1") }
        if untilComplete && !watch { throw ValidationError("--until-complete needs --watch") }
    }

    func run() throws {
        var options = StatusWatcher.Options()
        options.json = json
        options.watchInterval = watch ? (seconds ?? 2) : nil
        options.untilComplete = untilComplete
        try StatusWatcher.run(directory: URL(fileURLWithPath: job), options: options)
        if let partitions, !json, !watch {
            let opened = try Job(directory: URL(fileURLWithPath: job), readonly: true)
            print("")
            for partition in try PartitionProgress.table(of: opened, partitions: partitions) { print(partition) }
        }
    }
}
