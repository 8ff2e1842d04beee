/// The file formats the readers understand. `tsv` is the CSV dialect with a tab delimiter
/// (RFC 4180 quoting still applies), which is also what open_clip reads by default.
/// `webdataset` is a tar shard of samples (`KEY.jpg`, `KEY.txt`, `KEY.json`).
public enum CaptionFormat: String, CaseIterable, Sendable, Codable {
    case csv, tsv, jsonl, txt, parquet, webdataset

    /// Formats read by `CaptionReader`'s byte scanner (the others have readers of their own).
    var isLineBased: Bool { self == .csv || self == .tsv || self == .jsonl || self == .txt }
}
