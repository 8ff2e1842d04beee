/// Guesses used by auto-detection. They look at a few sample rows only, and every guess is
/// reported in `CaptionLayout.summary` so a wrong one is visible before any work is queued.
enum ColumnHeuristics {
    /// In order of preference when several are present.
    static let captionNames = [
        "caption", "title", "text", "alt", "alt_text", "alttext", "description", "sentence", "prompt", "txt",
    ]
    static let imageNames = [
        "image", "image_path", "filepath", "file_path", "img_path", "path", "url", "image_url", "img_url",
        "img", "file", "filename", "file_name", "key",
    ]
    /// The record's own id, in order of preference (LAION/DataComp `uid`, img2dataset `key`).
    static let idNames = ["uid", "key", "id", "sample_id", "sha256", "hash", "md5"]
    /// Other names seen in caption-dataset headers (LAION, CC, WebDataset metadata).
    static let otherNames = [
        "id", "uid", "index", "idx", "sample_id", "hash", "width", "height", "original_width",
        "original_height", "similarity", "punsafe", "pwatermark", "nsfw", "license", "status", "label",
        "exif", "language", "lang", "source", "split", "shard", "error_message", "md5", "sha256",
    ]
    private static let knownNames = Set(captionNames + imageNames + otherNames)

    private static let imageExtensions = [
        ".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".avif", ".heic",
    ]
    private static let urlSchemes = ["http://", "https://", "s3://", "gs://", "file://", "hf://", "az://"]

    static func normalizedName(_ field: String) -> String {
        field.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// A URL, or a path: no spaces and a slash, or an image file name.
    static func looksLikePathOrURL(_ field: String) -> Bool {
        let text = field.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return false }
        let lower = text.lowercased()
        if urlSchemes.contains(where: { lower.hasPrefix($0) }) { return true }
        let hasSlash = text.contains("/") || text.contains("\\")
        if imageExtensions.contains(where: { lower.hasSuffix($0) }) {
            return hasSlash || !text.contains(where: \.isWhitespace)
        }
        if text.contains(where: \.isWhitespace) { return false }
        return hasSlash || lower.hasPrefix("www.")
    }

    /// Column names: short, none looks like a path or URL, at least one is a name we know.
    static func looksLikeHeader(_ fields: [String]) -> Bool {
        guard !fields.isEmpty else { return false }
        var sawKnownName = false
        for field in fields {
            let name = normalizedName(field)
            if name.isEmpty || name.utf8.count > 64 || looksLikePathOrURL(field) { return false }
            if knownNames.contains(name) { sawKnownName = true }
        }
        return sawKnownName
    }

    /// Index of `wanted` among `columns`: exact match first, then ignoring case and surrounding spaces.
    static func index(of wanted: String, in columns: [String]) -> Int? {
        if let exact = columns.firstIndex(of: wanted) { return exact }
        let normalized = normalizedName(wanted)
        return columns.firstIndex { normalizedName($0) == normalized }
    }

    /// The first of `preferred` present among `columns` (case-insensitive).
    static func firstKnown(_ preferred: [String], in columns: [String]) -> Int? {
        let normalized = columns.map(normalizedName)
        for name in preferred {
            if let found = normalized.firstIndex(of: name) { return found }
        }
        return nil
    }
}
