/// open_clip's CSV dataset: a header row, then image path, original caption and one column per
/// style (`--csv-img-key filepath --csv-caption-key title|<style> --csv-separator ','`). A job
/// whose source had an id column gets it first, under the source's name (open_clip reads
/// columns by name and ignores the others).
final class OpenCLIPWriter: ExportWriter {
    static let imageColumn = "filepath"
    static let captionColumn = "title"
    private let sink: ByteSink
    private let separator: UInt8
    private let hasID: Bool
    let needsMetadata = false

    init(sink: ByteSink, separator: FieldSeparator, styles: [String], idColumn: String?) throws {
        self.sink = sink
        self.separator = separator.byte
        hasID = idColumn != nil
        let header = [idColumn].compactMap { $0 } + [Self.imageColumn, Self.captionColumn] + styles
        for (i, name) in header.enumerated() {
            if i > 0 { try sink.append(self.separator) }
            var name = name
            try name.withUTF8 { try FieldEncoding.csv($0, separator: self.separator, to: sink) }
        }
        try sink.append(0x0A)
    }

    static func checkColumnNames(styles: [String], idColumn: String?) throws {
        let fixed = [idColumn].compactMap { $0 } + [imageColumn, captionColumn]
        if let clash = styles.first(where: fixed.contains) {
            throw ExportError(
                .unsupported,
                "style '\(clash)' has the name of a fixed column (\(fixed.joined(separator: ", "))); the open_clip header cannot hold both"
            )
        }
        if let idColumn, idColumn == imageColumn || idColumn == captionColumn {
            throw ExportError(
                .unsupported,
                "the source's id column is named '\(idColumn)', like a fixed open_clip column; export --format parquet or jsonl instead"
            )
        }
    }

    func write(_ row: ExportRow) throws {
        if hasID {
            if let key = row.key { try FieldEncoding.csv(key, separator: separator, to: sink) }
            try sink.append(separator)
        }
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
