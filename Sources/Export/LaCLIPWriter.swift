import CaptionIO
import Foundation

/// LaCLIP's training files: `image_path,caption` rows without a header (what its loader reads
/// with `csv.reader`), and per style a text file whose line i is the rewrite of row i. A job
/// with ids gets `NAME.keys.txt` too, line i the id of row i: LaCLIP's CSV has no room for
/// one, and the name cannot be taken for a style's `NAME_<style>.txt`.
final class LaCLIPWriter: ExportWriter {
    private let csv: ByteSink
    private let styleFiles: [ByteSink]
    private let keyFile: ByteSink?
    let needsMetadata = false

    /// `NAME.csv` -> `NAME_<style>.txt` beside it, then `NAME.keys.txt` when `keyed`.
    static func targets(out: URL, styles: [String], keyed: Bool) -> [URL] {
        let stem = out.deletingPathExtension().lastPathComponent
        let directory = out.deletingLastPathComponent()
        let keys = keyed ? [directory.appendingPathComponent("\(stem).keys.txt")] : []
        return [out] + styles.map { LaCLIPFileNames.rewriteFile(csv: out, style: $0) } + keys
    }

    init(outputs: AtomicOutputs, targets: [URL], styles: Int) throws {
        csv = try outputs.create(targets[0])
        styleFiles = try targets.dropFirst().prefix(styles).map { try outputs.create($0) }
        keyFile = try targets.dropFirst(1 + styles).first.map { try outputs.create($0) }
    }

    func write(_ row: ExportRow) throws {
        let comma = UInt8(ascii: ",")
        if let image = row.image { try FieldEncoding.csv(image, separator: comma, to: csv) }
        try csv.append(comma)
        try FieldEncoding.csv(row.caption, separator: comma, to: csv)
        try csv.append(0x0A)
        for (file, rewrite) in zip(styleFiles, row.rewrites) { try FieldEncoding.line(rewrite, to: file) }
        if let keyFile {
            if let key = row.key { try FieldEncoding.line(key, to: keyFile) } else { try keyFile.append(0x0A) }
        }
    }
}
