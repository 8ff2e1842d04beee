/// The file layouts `laclip export` writes.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// LaCLIP's training files: `image_path,caption` CSV without a header, plus one
    /// line-aligned `NAME_<style>.txt` per style.
    case laclip
    /// One CSV/TSV with a header (`filepath`, `title`, one column per style) for open_clip.
    case openclip
    /// One JSON object per caption: original, rewrites by style, their metadata.
    case jsonl
}

/// What to do with a row when one of its rewrites is not done.
public enum MissingPolicy: String, CaseIterable, Sendable {
    /// Refuse to export while any rewrite is missing.
    case fail
    /// Put the original caption in place of the missing rewrite.
    case original
    /// Leave the row out of every file.
    case skip
}

/// The field separator of the open_clip export.
public enum FieldSeparator: String, CaseIterable, Sendable {
    case comma, tab

    var byte: UInt8 { self == .comma ? UInt8(ascii: ",") : UInt8(ascii: "\t") }
}
