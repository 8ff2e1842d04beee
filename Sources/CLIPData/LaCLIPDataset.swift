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

    /// RFC 4180 CSV (quoted fields may hold commas, doubled quotes and newlines); blank lines
    /// are not rows; fields after the second are ignored.
    static func readCSV(_ url: URL) throws(DataError) -> [Row] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DataError(description: "\(url.path): cannot read: \(error.localizedDescription)")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var rows: [Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false, fieldWasQuoted = false
        var line = 1, rowLine = 1
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRow() throws(DataError) {
            endField()
            defer { fields.removeAll(keepingCapacity: true) }
            if fields.count == 1 && fields[0].isEmpty { return }
            guard fields.count >= 2 else {
                throw DataError(
                    description: "\(url.lastPathComponent):\(rowLine): expected image_path,caption; found one field")
            }
            rows.append(Row(path: fields[0], caption: fields[1]))
        }
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(byte); i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") && field.isEmpty && !fieldWasQuoted {
                inQuotes = true
                fieldWasQuoted = true
            } else if byte == UInt8(ascii: ",") {
                endField()
            } else if byte == UInt8(ascii: "\n") {
                if field.last == UInt8(ascii: "\r") { field.removeLast() }
                try endRow()
                line += 1
                rowLine = line
            } else {
                field.append(byte)
            }
            i += 1
        }
        if inQuotes {
            throw DataError(description: "\(url.lastPathComponent):\(rowLine): a quoted field opened here never closes")
        }
        if !field.isEmpty || !fields.isEmpty {
            if field.last == UInt8(ascii: "\r") { field.removeLast() }
            try endRow()
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
