/// The file layouts `laclip export` writes.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// LaCLIP's training files: `image_path,caption` CSV without a header, plus one
    /// line-aligned `NAME_<style>.txt` per style (and `NAME.keys.txt` for a job with ids).
    case laclip
    /// One CSV/TSV with a header (the id column if any, `filepath`, `title`, one column per
    /// style) for open_clip.
    case openclip
    /// One JSON object per caption: original, rewrites by style, their metadata.
    case jsonl
    /// One Parquet file: id, image, original caption (the source's column names), a column per
    /// style and per style its model and seed; what img2dataset reads with --input_format parquet.
    case parquet
    /// One tar per input tar shard, members copied byte for byte, each sample's `.json` gaining
    /// a field per style: what open_clip samples among with --json-text-key.
    case webdataset

    /// open_clip's JSON-key sampling skips to another key, not to the original, when a field is
    /// unusable: these formats write the original in place of an under-2-word rewrite so the
    /// pick falls back as LaCLIP's loader does.
    var writesOriginalForShortRewrites: Bool { self == .parquet || self == .webdataset }
}

/// The compression of a Parquet export's pages.
public enum ParquetExportCompression: String, CaseIterable, Sendable {
    case snappy, zstd, gzip, none
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
