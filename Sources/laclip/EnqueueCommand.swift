import ArgumentParser
import CaptionIO
import Foundation
import Ingest
import Logging
import Prompting

struct EnqueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Shard a caption dataset into a job of SQLite work queues, one task per caption and style.")

    @Argument(
        help: ArgumentHelp(
            "The dataset files: CSV, TSV, JSONL, plain text (one caption per line), Parquet, or WebDataset tar shards.",
            discussion:
                "Several files, directories of .parquet/.tar files and brace ranges ('shards/{00000..00099}.tar') make one job, in the order given; each file is checksummed on its own."
        ))
    var datasets: [String]

    @Option(help: "The job directory to create (or add to, with --append).")
    var job: String

    @Option(help: "Split into this many shards of equal size.")
    var shards: Int?

    @Option(help: "Split into shards of at most this many captions (default 50000).")
    var shardSize: Int?

    @Option(help: "auto, csv, tsv, jsonl, txt, parquet or webdataset.")
    var format: String = "auto"

    @Option(help: "The caption column: a header name or a 0-based index (JSONL: a key).")
    var captionColumn: String?

    @Option(help: "The image column: a header name or a 0-based index (JSONL: a key).")
    var imageColumn: String?

    @Option(
        help:
            "The column holding each record's own id (a header name or 0-based index; JSONL: a key). Default: the first of uid, key, id, sample_id, sha256, hash, md5 present. Carried to every export."
    )
    var idColumn: String?

    @Option(help: "WebDataset: take the caption from this field of each sample's .json instead of its .txt.")
    var captionKey: String?

    @Option(help: "Comma-separated styles (meta-pair sources); default: every source in MetaPairs/.")
    var styles: String?

    @Option(help: "The seed of every demonstration draw and rewrite request.")
    var seed: UInt64 = 0

    @Flag(help: "Identical captions (after whitespace normalisation) share one set of tasks.")
    var dedup = false

    @Option(help: "fail: stop at the first bad row, creating nothing. skip: record bad rows in the job and go on.")
    var onBadRow: String = "fail"

    @Option(help: "Longest caption accepted, in characters.")
    var maxCaptionChars: Int = 1000

    @Flag(help: "Add the dataset to an existing job.")
    var append = false

    @Flag(help: "Replace an existing job.")
    var force = false

    @Option(help: "Folder of meta-pair files (default: MetaPairs/ of the checkout, or $LACLIP_META_PAIRS).")
    var metaPairs: String?

    @Option(help: "Prompt template file (default: Prompts/laclip.txt).")
    var template: String?

    @Flag(name: .shortAndLong, help: "Log more.")
    var verbose = false

    func validate() throws {
        if shards != nil && shardSize != nil { throw ValidationError("give --shards or --shard-size, not both") }
        if let shards, shards < 1 { throw ValidationError("--shards must be at least 1") }
        if let shardSize, shardSize < 1 { throw ValidationError("--shard-size must be at least 1") }
        if append && force { throw ValidationError("give --append or --force, not both") }
        if format != "auto" && CaptionFormat(rawValue: format) == nil {
            throw ValidationError(
                "--format must be auto, csv, tsv, jsonl, txt, parquet or webdataset (got '\(format)')")
        }
        if BadRowPolicy(rawValue: onBadRow) == nil { throw ValidationError("--on-bad-row must be fail or skip") }
    }

    func run() throws {
        Laclip.bootstrapLogging(verbose: verbose)
        let logger = Logger(label: "laclip.enqueue")
        let (metaDirectory, templateURL) = try ResourceLocator.promptInputs(metaPairs: metaPairs, template: template)
        var options = EnqueueOptions(
            sources: try SourceList.expand(datasets), job: URL(fileURLWithPath: job),
            metaPairs: try MetaPairLibrary.load(directory: metaDirectory), metaPairsDirectory: metaDirectory.path,
            template: try PromptTemplate.load(url: templateURL), templateFile: templateURL.path)
        if let shards { options.sharding = .count(shards) }
        if let shardSize { options.sharding = .size(shardSize) }
        options.reader.format = CaptionFormat(rawValue: format)
        options.reader.captionColumn = captionColumn.map(ColumnSelector.init(parsing:))
        options.reader.imageColumn = imageColumn.map(ColumnSelector.init(parsing:))
        options.reader.idColumn = idColumn.map(ColumnSelector.init(parsing:))
        options.reader.captionKey = captionKey
        options.reader.maxCaptionCharacters = maxCaptionChars
        options.styles = styles.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        options.seed = seed
        options.dedup = dedup
        options.onBadRow = BadRowPolicy(rawValue: onBadRow) ?? .fail
        options.existing = append ? .append : force ? .replace : .refuse

        let report = try Enqueue.run(options, logger: logger)
        print(EnqueueSummary(report: report, job: job).text)
    }
}
