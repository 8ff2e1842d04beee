import Foundation

/// LaCLIP's training files: `image_path,caption` rows without a header (what its loader reads
/// with `csv.reader`), and per style a text file whose line i is the rewrite of row i.
final class LaCLIPWriter: ExportWriter {
    private let csv: ByteSink
    private let styleFiles: [ByteSink]
    let needsMetadata = false

    /// `NAME.csv` -> `NAME_<style>.txt` beside it.
    static func targets(out: URL, styles: [String]) -> [URL] {
        let stem = out.deletingPathExtension().lastPathComponent
        let directory = out.deletingLastPathComponent()
        return [out] + styles.map { directory.appendingPathComponent("\(stem)_\($0).txt") }
    }

    init(outputs: AtomicOutputs, targets: [URL]) throws {
        csv = try outputs.create(targets[0])
        styleFiles = try targets.dropFirst().map { try outputs.create($0) }
    }

    func write(_ row: ExportRow) throws {
        let comma = UInt8(ascii: ",")
        if let image = row.image { try FieldEncoding.csv(image, separator: comma, to: csv) }
        try csv.append(comma)
        try FieldEncoding.csv(row.caption, separator: comma, to: csv)
        try csv.append(0x0A)
        for (file, rewrite) in zip(styleFiles, row.rewrites) { try FieldEncoding.line(rewrite, to: file) }
    }
}
