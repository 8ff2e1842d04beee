import Foundation

/// LaCLIP's file conventions, in one place because the export writes them and training and the
/// experiment read them back: they must agree, and neither side may need the other's modules
/// (so this lives in CaptionIO, not in Export or CLIPData).
public enum LaCLIPFileNames {
    /// LaCLIP's loader keeps only rows whose image path ends in one of these (any case).
    public static let imageExtensions = ["png", "jpg", "jpeg"]

    public static func hasImageExtension(_ path: String) -> Bool {
        let lower = path.lowercased()
        return imageExtensions.contains { lower.hasSuffix("." + $0) }
    }

    /// The same rule on raw bytes: the export checks every row without making a String.
    public static func hasImageExtension(_ path: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let dot = path.lastIndex(of: UInt8(ascii: ".")) else { return false }
        let ext = UnsafeBufferPointer(rebasing: path[(dot + 1)...])
        return imageExtensions.contains { name in
            name.utf8.count == ext.count && zip(name.utf8, ext).allSatisfy { $0 == $1 | 0x20 }
        }
    }

    /// `NAME.csv` -> `NAME_<style>.txt` beside it: one line per CSV row, line i rewriting row i.
    public static func rewriteFile(csv: URL, style: String) -> URL {
        csv.deletingLastPathComponent().appendingPathComponent(
            "\(csv.deletingPathExtension().lastPathComponent)_\(style).txt")
    }

    /// The style in `fileName` when it names one of `csv`'s rewrite files, else nil.
    public static func rewriteStyle(fileName: String, csv: URL) -> String? {
        let prefix = csv.deletingPathExtension().lastPathComponent + "_", suffix = ".txt"
        guard fileName.hasPrefix(prefix), fileName.hasSuffix(suffix), fileName.count >= prefix.count + suffix.count
        else { return nil }
        return String(fileName.dropFirst(prefix.count).dropLast(suffix.count))
    }

    /// `csv`'s rewrite files in its folder, in name order (the order training gives the styles).
    public static func rewriteFiles(beside csv: URL) throws -> [URL] {
        let folder = csv.deletingLastPathComponent()
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            rewriteStyle(fileName: $0, csv: csv) != nil
        }.sorted()
            .map { folder.appendingPathComponent($0) }
    }
}
