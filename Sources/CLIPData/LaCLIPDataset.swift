import CaptionIO
import Foundation

/// A LaCLIP export: a training CSV of `image_path,caption` rows without a header, plus rewrite
/// files of one line per CSV row (line i rewrites row i), one file per style.
public struct LaCLIPDataset: Sendable {
    public struct Sample: Sendable, Equatable {
        public var image: URL
        /// The original caption first, then one rewrite per style (possibly empty).
        public var captions: [String]
        /// 0-based index of the CSV row (the rewrite files' line).
        public var row: Int
    }

    public var samples: [Sample]
    public var rewriteStyles: [String]

    /// Reads the CSV and the rewrite files. Relative image paths are resolved against
    /// `imageRoot` (default: the CSV's folder). Rows whose path does not end in .png, .jpg or
    /// .jpeg are dropped, as LaCLIP's loader does, but every row keeps its own rewrite lines.
    public init(csv: URL, rewrites: [URL] = [], imageRoot: URL? = nil) throws(DataError) {
        let root = imageRoot ?? csv.deletingLastPathComponent()
        let rows = try LaCLIPDataset.readCSV(csv)
        var rewriteLines: [[String]] = []
        for file in rewrites {
            let lines = try LaCLIPDataset.readLines(file)
            guard lines.count == rows.count else {
                throw DataError(
                    description:
                        "\(file.path): \(lines.count) lines, but \(csv.lastPathComponent) has \(rows.count) rows; rewrite files must be line-aligned with the CSV"
                )
            }
            rewriteLines.append(lines)
        }
        var samples: [Sample] = []
        for (index, row) in rows.enumerated() {
            guard LaCLIPFileNames.hasImageExtension(row.path) else { continue }
            let image = row.path.hasPrefix("/") ? URL(fileURLWithPath: row.path) : root.appendingPathComponent(row.path)
            samples.append(Sample(image: image, captions: [row.caption] + rewriteLines.map { $0[index] }, row: index))
        }
        guard !samples.isEmpty else {
            throw DataError(description: "\(csv.path): no rows with a .png, .jpg or .jpeg image path")
        }
        self.samples = samples
        self.rewriteStyles = rewrites.map { $0.deletingPathExtension().lastPathComponent }
    }

    public init(samples: [Sample], rewriteStyles: [String]) {
        self.samples = samples
        self.rewriteStyles = rewriteStyles
    }

    /// Every caption and rewrite (what the tokenizer learns from).
    public var allTexts: [String] { samples.flatMap(\.captions) }

    // MARK: Files

    struct Row { var path: String; var caption: String }

    /// The CSV's records as `CaptionIO` splits them (quoted fields may hold commas, doubled
    /// quotes and newlines); blank lines are not rows; fields after the second are ignored.
    static func readCSV(_ url: URL) throws(DataError) -> [Row] {
        let records: [DelimitedRecords.Record]
        do { records = try DelimitedRecords.read(url) } catch { throw DataError(description: error.description) }
        var rows: [Row] = []
        rows.reserveCapacity(records.count)
        for record in records {
            guard record.fields.count >= 2 else {
                throw DataError(
                    description: "\(url.lastPathComponent):\(record.line): expected image_path,caption; found one field"
                )
            }
            rows.append(Row(path: record.fields[0], caption: record.fields[1]))
        }
        return rows
    }

    /// Lines of a rewrite file (LF or CRLF; a final newline does not start another line).
    static func readLines(_ url: URL) throws(DataError) -> [String] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataError(description: "\(url.path): cannot read: \(error.localizedDescription)")
        }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { slice -> String in
            var bytes = slice
            if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
            return String(decoding: bytes, as: UTF8.self)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
