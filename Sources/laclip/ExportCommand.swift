import ArgumentParser
import Export
import Foundation
import Monitor
import Synchronization

extension ExportFormat: ExpressibleByArgument {}
extension MissingPolicy: ExpressibleByArgument {}
extension FieldSeparator: ExpressibleByArgument {}
extension ParquetExportCompression: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Write a job's captions and rewrites as files trainers load (LaCLIP, open_clip, JSONL, Parquet, WebDataset).",
        discussion: """
            laclip:   --out NAME.csv: image_path,caption rows (no header) and NAME_<style>.txt per style,
                      line i of every file belonging to row i (line breaks in rewrites become spaces);
                      a job with ids (--id-column at enqueue) also gets NAME.keys.txt, line i row i's id.
            openclip: --out FILE: header [id,]filepath,title,<style>...; load with --csv-img-key filepath
                      --csv-caption-key title (or a style) --csv-separator ',' (or '\\t' with --separator tab).
            jsonl:    --out FILE: one object per caption with the original, rewrites and their metadata.
            parquet:  --out FILE: the source's id, image and caption columns (same names), a column per
                      style, <style>_model, <style>_seed and <style>_fidelity; for img2dataset --input_format parquet
                      --save_additional_columns '["chatgpt",...]'.
            webdataset: --out DIR, for a job enqueued from tar shards: one tar per input tar, same name,
                      members copied byte for byte, each sample's .json gaining a field per style.
                      Each tar is renamed into place as soon as it is complete, and tars already in DIR
                      are kept unless --force: after a crash, run the same command again to write
                      only the missing ones.
            parquet and webdataset write the original caption in place of a rewrite of fewer than 2
            words, LaCLIP's rule, because open_clip's --json-text-key sampling skips to another key,
            not to the original.
            Files are written under temporary names and renamed into place at the end.
            """)

    @Option(help: "The job directory.")
    var job: String

    @Option(help: "laclip, openclip, jsonl, parquet or webdataset.")
    var format: ExportFormat

    @Option(help: "The file to write (for laclip, the CSV; the style files go beside it; for webdataset, a folder).")
    var out: String

    @Option(
        help: "When a rewrite is not done: fail (refuse), original (use the original caption), skip (drop the row).")
    var missing: MissingPolicy = .fail

    @Option(help: "open_clip field separator: comma or tab.")
    var separator: FieldSeparator = .comma

    @Flag(help: "Replace existing output files.")
    var force = false

    @Option(
        help: ArgumentHelp(
            "Write the original caption in place of a rewrite whose fidelity score is under X (every format).",
            discussion: "Needs scored rewrites: a job made before scores existed gets them from `laclip score`.",
            valueName: "X"))
    var minFidelity: Double?

    @Option(help: "Parquet page compression: snappy, zstd, gzip or none.")
    var compression: ParquetExportCompression = .snappy

    func validate() throws {
        if separator != .comma && format != .openclip {
            throw ValidationError("--separator applies to --format openclip only")
        }
        if let minFidelity, !(0...1).contains(minFidelity) {
            throw ValidationError("--min-fidelity must be between 0 and 1")
        }
        if compression != .snappy && format != .parquet {
            throw ValidationError("--compression applies to --format parquet only")
        }
    }

    func run() throws {
        var options = ExportOptions(job: URL(fileURLWithPath: job), format: format, out: URL(fileURLWithPath: out))
        options.missing = missing
        options.separator = separator
        options.force = force
        options.compression = compression
        options.minFidelity = minFidelity
        let interrupted = Atomic<Bool>(false)
        let signals = SignalStream([SIGINT])
        let interrupts = Task {
            for await _ in signals {
                if interrupted.exchange(true, ordering: .relaxed) { Foundation.exit(130) }
                FileHandle.standardError.write(
                    Data("\nstopping: removing the unfinished export (Ctrl-C again to quit at once)\n".utf8))
            }
        }
        let report: ExportReport
        do {
            report = try Exporter.run(options) { interrupted.load(ordering: .relaxed) }
        } catch let error as ExportError {
            // Interrupted, or failed while being interrupted: the exit status says Ctrl-C.
            if error.kind == .interrupted || interrupted.load(ordering: .relaxed) { throw ExitCode(130) }
            throw ValidationError(error.message)
        }
        interrupts.cancel()
        var lines = ["exported \(report.rows) rows (\(format.rawValue)) in \(String(format: "%.2f", report.seconds)) s"]
        lines += report.files.map { "  \($0.path)" }
        if report.skippedRows > 0 {
            lines.append("  \(report.skippedRows) rows left out: a rewrite was missing (--missing skip)")
        }
        if report.filledWithOriginal > 0 {
            lines.append("  \(report.filledWithOriginal) missing rewrites replaced by the original caption")
        }
        if report.duplicateRows > 0 {
            lines.append(
                "  \(report.duplicateRows) rows are dedup'd duplicates carrying their first occurrence's rewrites")
        }
        if report.shortRewritesReplaced > 0 {
            lines.append(
                "  \(report.shortRewritesReplaced) rewrites of fewer than 2 words written as the original caption (LaCLIP's rule)"
            )
        }
        if report.lowFidelityReplaced > 0 {
            lines.append(
                "  \(report.lowFidelityReplaced) rewrites scoring under --min-fidelity written as the original caption")
        }
        if report.keptExisting > 0 {
            lines.append("  \(report.keptExisting) tars already in \(out) kept as they were (--force rewrites them)")
        }
        if report.droppedUnsafeMembers > 0 {
            lines.append("  \(report.droppedUnsafeMembers) members with unsafe names (absolute or with ..) left out")
        }
        if report.nonImagePaths > 0 {
            lines.append(
                "  warning: \(report.nonImagePaths) rows have an image path not ending in .jpg/.jpeg/.png; LaCLIP's loader skips such rows"
            )
        }
        print(lines.joined(separator: "\n"))
    }
}
