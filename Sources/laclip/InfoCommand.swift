import ArgumentParser
import CaptionIO
import Foundation
import RewriteQueue

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show what a job holds: sources, formats decided, counts, bad rows, shards.")

    @Option(help: "The job directory.")
    var job: String

    @Flag(help: "List every skipped bad row.")
    var badRows = false

    func run() throws {
        let job = try Job(directory: URL(fileURLWithPath: job), readonly: true)
        let configuration = job.definition.configuration
        var out: [String] = []
        out.append("job \(job.layout.directory.path)")
        let sharding =
            switch configuration.sharding {
            case .count(let n): "\(n) shards"
            case .size(let n): "shards of at most \(n) captions"
            }
        out.append("  seed \(configuration.seed), dedup \(configuration.dedup), \(sharding)")
        out.append("  styles: " + job.styles.map { "\($0.name) (\($0.metaPairsFile))" }.joined(separator: ", "))
        out.append("  template: \(job.definition.template.file)")
        for source in try job.manifest.sources() {
            let layout = try? JSONDecoder().decode(CaptionLayout.self, from: Data(source.layout.utf8))
            out.append("source \(source.id): \(source.path)")
            out.append("  sha256 \(source.checksum), \(source.bytes) bytes")
            out.append("  decided: \(layout?.summary ?? source.layout)")
            out.append(
                "  \(source.rows) rows: \(source.captions) captions, \(source.badRows) bad rows skipped, \(source.duplicates) duplicates"
            )
        }
        let counts = try job.counts()
        out.append(
            "tasks: \(counts.total) = " + TaskState.allCases.map { "\(counts.total($0)) \($0)" }.joined(separator: ", ")
        )
        for style in job.styles {
            out.append(
                "  \(style.name): "
                    + TaskState.allCases.map { "\(counts[style.index, $0]) \($0)" }.joined(separator: ", "))
        }
        out.append("shards: \(job.shards.count)")
        for shard in job.shards.prefix(20) {
            out.append(
                "  \(shard.file): captions \(shard.firstCaption)..<\(shard.firstCaption + Int64(shard.captions)), \(shard.tasks) tasks"
            )
        }
        if job.shards.count > 20 { out.append("  … \(job.shards.count - 20) more") }
        let bad = try job.manifest.badRows(limit: badRows ? .max : 5)
        if !bad.isEmpty {
            out.append("bad rows skipped\(badRows ? "" : " (first 5; --bad-rows lists all)"):")
            for row in bad { out.append("  \(row.detail) [\(row.reason)]") }
        }
        print(out.joined(separator: "\n"))
    }
}
