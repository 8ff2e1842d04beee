import Foundation

public struct ExportOptions: Sendable {
    public var job: URL
    public var format: ExportFormat
    /// The file to write: the CSV for `laclip` (the style files go beside it), the CSV/TSV for
    /// `openclip`, the JSONL file for `jsonl`.
    public var out: URL
    public var missing = MissingPolicy.fail
    public var separator = FieldSeparator.comma
    /// Replace existing output files (WebDataset: without it, tars already in `out` are kept,
    /// which is how a re-run after a crash finishes only the missing ones).
    public var force = false
    /// Write the original caption in place of a rewrite whose fidelity score is under this.
    public var minFidelity: Double?
    public var compression = ParquetExportCompression.snappy
    /// Parquet row groups of this many rows.
    public var rowGroupRows = 100_000

    public init(job: URL, format: ExportFormat, out: URL) {
        self.job = job
        self.format = format
        self.out = out
    }
}
