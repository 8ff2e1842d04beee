import Foundation

public struct ExportOptions: Sendable {
    public var job: URL
    public var format: ExportFormat
    /// The file to write: the CSV for `laclip` (the style files go beside it), the CSV/TSV for
    /// `openclip`, the JSONL file for `jsonl`.
    public var out: URL
    public var missing = MissingPolicy.fail
    public var separator = FieldSeparator.comma
    /// Replace existing output files.
    public var force = false

    public init(job: URL, format: ExportFormat, out: URL) {
        self.job = job
        self.format = format
        self.out = out
    }
}
