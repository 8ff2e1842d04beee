/// The file formats the readers understand. `tsv` is the CSV dialect with a tab delimiter
/// (RFC 4180 quoting still applies), which is also what open_clip reads by default.
public enum CaptionFormat: String, CaseIterable, Sendable, Codable {
    case csv, tsv, jsonl, txt
}
