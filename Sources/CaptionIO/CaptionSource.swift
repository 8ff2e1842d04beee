import Foundation

/// A stream of records from one dataset file, whatever its format. Not Sendable: one reader,
/// one thread.
public protocol CaptionSource: AnyObject {
    /// What the reader decided (format, columns), stored in the job and printed by enqueue.
    var layout: CaptionLayout { get }
    /// The file as it appears in messages.
    var fileName: String { get }
    /// The next record or bad row; nil at the end. Throws for a file that cannot be read on.
    func next() throws -> CaptionReadResult?
}

/// Opens the reader that fits a file: Parquet and tar shards by extension (or `--format`),
/// everything else through `CaptionReader`'s detection.
public enum CaptionSources {
    public static func open(url: URL, options: CaptionReaderOptions = .init()) throws -> any CaptionSource {
        switch format(of: url, options: options) {
        case .parquet: return try ParquetCaptionReader(url: url, options: options)
        case .webdataset: return try WebDatasetCaptionReader(url: url, options: options)
        default: return try CaptionReader(url: url, options: options)
        }
    }

    /// The format given, or the one the extension says for the formats that are not text.
    public static func format(of url: URL, options: CaptionReaderOptions) -> CaptionFormat? {
        if let format = options.format { return format }
        switch url.pathExtension.lowercased() {
        case "parquet", "parq": return .parquet
        case "tar": return .webdataset
        default: return nil
        }
    }
}
