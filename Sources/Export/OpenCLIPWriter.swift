/// open_clip's CSV dataset: a header row, then image path, original caption and one column per
/// style (`--csv-img-key filepath --csv-caption-key title|<style> --csv-separator ','`).
final class OpenCLIPWriter: ExportWriter {
    static let imageColumn = "filepath"
    static let captionColumn = "title"
    private let sink: ByteSink
    private let separator: UInt8
    let needsMetadata = false

    init(sink: ByteSink, separator: FieldSeparator, styles: [String]) throws {
        self.sink = sink
        self.separator = separator.byte
        let header = [Self.imageColumn, Self.captionColumn] + styles
        for (i, name) in header.enumerated() {
            if i > 0 { try sink.append(self.separator) }
            var name = name
            try name.withUTF8 { try FieldEncoding.csv($0, separator: self.separator, to: sink) }
        }
        try sink.append(0x0A)
    }

    static func checkColumnNames(styles: [String]) throws {
        if let clash = styles.first(where: { $0 == imageColumn || $0 == captionColumn }) {
            throw ExportError("style '\(clash)' has the name of a fixed column (\(imageColumn), \(captionColumn)); the open_clip header cannot hold both")
        }
    }

    func write(_ row: ExportRow) throws {
        if let image = row.image { try FieldEncoding.csv(image, separator: separator, to: sink) }
        try sink.append(separator)
        try FieldEncoding.csv(row.caption, separator: separator, to: sink)
        for rewrite in row.rewrites {
            try sink.append(separator)
            try FieldEncoding.csv(rewrite, separator: separator, to: sink)
        }
        try sink.append(0x0A)
    }
}
