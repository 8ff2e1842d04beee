import Foundation

/// Decides format, header and columns from the options, the extension and a sample of the file.
struct LayoutDetector {
    let fileName: String
    let pathExtension: String
    let options: CaptionReaderOptions
    let sample: FileSample

    func detect() throws -> (plan: ReadPlan, layout: CaptionLayout) {
        if sample.isBlank, sample.isComplete {
            throw CaptionFileError(file: fileName, kind: .emptyFile, message: "empty file (no non-blank line)")
        }
        let (format, formatReason) = try decideFormat()
        let formatPart = "\(format.rawValue) (\(formatReason))"
        switch format {
        case .csv:
            return try delimitedLayout(format: .csv, delimiter: ByteValue.comma, formatPart: formatPart)
        case .tsv:
            return try delimitedLayout(format: .tsv, delimiter: ByteValue.tab, formatPart: formatPart)
        case .jsonl:
            return try jsonLinesLayout(formatPart: formatPart)
        case .txt:
            if let selector = options.imageColumn {
                throw error(
                    .undecidableColumns,
                    "a txt file has one caption per line and no image column (asked for \(quoted(selector)))")
            }
            if let selector = options.idColumn {
                throw error(
                    .undecidableColumns,
                    "a txt file has one caption per line and no id column (asked for \(quoted(selector)))")
            }
            let layout = CaptionLayout(
                format: .txt, hasHeader: false, columns: nil, captionColumn: "line", imageColumn: nil,
                summary: "\(formatPart), one caption per line, no image column")
            return (.text, layout)
        case .parquet, .webdataset:
            throw error(.undecidableFormat, "\(format.rawValue) is not a text format (open it through CaptionSources)")
        }
    }

    // MARK: format

    private func decideFormat() throws -> (CaptionFormat, String) {
        if let format = options.format { return (format, "format given") }
        let commaRows = sample.records(delimiter: ByteValue.comma).rows
        let tabRows = sample.records(delimiter: ByteValue.tab).rows
        let commaFits = isClearlyTabular(commaRows)
        let tabFits = isClearlyTabular(tabRows)
        let byExtension = "by extension .\(pathExtension)"
        switch pathExtension {
        case "csv":
            if !commaFits, tabFits { return (.tsv, "extension .csv, but the rows are tab-separated") }
            return (.csv, byExtension)
        case "tsv", "tab":
            if !tabFits, commaFits { return (.csv, "extension .\(pathExtension), but the rows are comma-separated") }
            return (.tsv, byExtension)
        case "jsonl", "ndjson", "json":
            if sample.firstNonBlankByte == UInt8(ascii: "[") {
                throw error(.undecidableFormat, "starts with '[': a JSON array, not JSON Lines (one object per line)")
            }
            return (.jsonl, byExtension)
        case "txt", "text":
            if tabFits { return (.tsv, "extension .\(pathExtension), but the rows are tab-separated") }
            return (.txt, byExtension)
        case "gz", "bz2", "xz", "zst", "zip", "7z", "tgz":
            throw error(.undecidableFormat, "compressed file (.\(pathExtension)): decompress it first")
        case "arrow", "feather":
            throw error(
                .undecidableFormat, ".\(pathExtension) is not supported: write it as Parquet, JSONL, CSV or TSV")
        default:
            if let first = sample.lines().first, first.bytes.first == UInt8(ascii: "{"),
                first.bytes.withUnsafeBufferPointer(parseJSONObject) != nil
            {
                return (.jsonl, "by content: the first line is a JSON object")
            }
            if tabFits { return (.tsv, "by content: tab-separated rows") }
            if commaFits { return (.csv, "by content: comma-separated rows") }
            let what = pathExtension.isEmpty ? "no extension" : "unknown extension .\(pathExtension)"
            throw error(
                .undecidableFormat,
                "cannot decide the format (\(what), and the first lines are not clearly JSONL, CSV or TSV); give the format (csv, tsv, jsonl or txt)"
            )
        }
    }

    /// Every sampled row has the same number (>= 2) of fields, and there is a header or a column
    /// of paths/URLs. Captions often contain commas, so consistent counts alone prove little.
    private func isClearlyTabular(_ rows: [[String]]) -> Bool {
        guard let first = rows.first, first.count >= 2, rows.allSatisfy({ $0.count == first.count }) else {
            return false
        }
        if ColumnHeuristics.looksLikeHeader(first) { return true }
        return (0..<first.count).contains { pathShare(rows, column: $0) > 0.5 }
    }

    private func pathShare(_ rows: [[String]], column: Int) -> Double {
        guard !rows.isEmpty else { return 0 }
        let hits = rows.filter { column < $0.count && ColumnHeuristics.looksLikePathOrURL($0[column]) }.count
        return Double(hits) / Double(rows.count)
    }

    // MARK: CSV / TSV

    private func delimitedLayout(format: CaptionFormat, delimiter: UInt8, formatPart: String) throws -> (
        plan: ReadPlan, layout: CaptionLayout
    ) {
        let (firstLine, rows) = sample.records(delimiter: delimiter)
        guard let first = rows.first else {
            if case .index(let caption)? = options.captionColumn, options.imageColumn.map(isIndex) ?? true,
                options.idColumn.map(isIndex) ?? true
            {
                // The first record cannot be parsed (it will come back as a bad row); the columns
                // were given, so there is nothing to detect.
                let image: Int? = if case .index(let value)? = options.imageColumn { value } else { nil }
                let id: Int? = if case .index(let value)? = options.idColumn { value } else { nil }
                return delimitedResult(
                    format: format, delimiter: delimiter, formatPart: formatPart, header: nil, caption: caption,
                    image: image,
                    id: id, why: "columns given")
            }
            throw error(
                .undecidableColumns,
                "cannot read a first record to detect the columns (an unclosed quote or a huge first record?); give the caption column by index"
            )
        }
        let byName = [options.captionColumn, options.imageColumn, options.idColumn].contains { selector in
            if case .name? = selector { return true }
            return false
        }
        if byName || ColumnHeuristics.looksLikeHeader(first) {
            return try headerLayout(
                format: format, delimiter: delimiter, formatPart: formatPart, header: first, headerLine: firstLine,
                why: byName ? "header row (columns chosen by name)" : "header row (first row looks like column names)")
        }
        return try headerlessLayout(
            format: format, delimiter: delimiter, formatPart: formatPart, rows: rows, firstLine: firstLine)
    }

    private func headerLayout(
        format: CaptionFormat, delimiter: UInt8, formatPart: String, header: [String], headerLine: Int, why: String
    ) throws -> (plan: ReadPlan, layout: CaptionLayout) {
        let columnList = header.joined(separator: ", ")
        func resolve(_ selector: ColumnSelector) throws -> Int {
            switch selector {
            case .name(let name):
                guard let found = ColumnHeuristics.index(of: name, in: header) else {
                    throw error(.unknownColumn, line: headerLine, "no column named '\(name)' (columns: \(columnList))")
                }
                return found
            case .index(let index):
                guard index < header.count else {
                    throw error(
                        .unknownColumn, line: headerLine,
                        "no column \(index) (0-based; the header has \(header.count): \(columnList))")
                }
                return index
            }
        }
        let caption: Int
        if let selector = options.captionColumn {
            caption = try resolve(selector)
        } else if let known = ColumnHeuristics.firstKnown(ColumnHeuristics.captionNames, in: header) {
            caption = known
        } else {
            throw error(
                .undecidableColumns, line: headerLine,
                "no caption column among the columns (\(columnList)); give the caption column")
        }
        var image: Int?
        if let selector = options.imageColumn {
            image = try resolve(selector)
        } else {
            image = ColumnHeuristics.firstKnown(
                ColumnHeuristics.imageNames, in: header.enumerated().map { $0.offset == caption ? "" : $0.element })
        }
        var id: Int?
        if let selector = options.idColumn {
            id = try resolve(selector)
        } else {
            let unclaimed = header.enumerated().map { $0.offset == caption || $0.offset == image ? "" : $0.element }
            id = ColumnHeuristics.firstKnown(ColumnHeuristics.idNames, in: unclaimed)
        }
        try checkDistinct(caption: caption, image: image, id: id)
        return delimitedResult(
            format: format, delimiter: delimiter, formatPart: formatPart, header: header, caption: caption,
            image: image, id: id, why: why)
    }

    private func headerlessLayout(
        format: CaptionFormat, delimiter: UInt8, formatPart: String, rows: [[String]], firstLine: Int
    ) throws -> (plan: ReadPlan, layout: CaptionLayout) {
        let columnCount = rows[0].count
        func index(_ selector: ColumnSelector?) throws -> Int? {
            guard case .index(let index)? = selector else { return nil }
            guard index < columnCount else {
                throw error(
                    .unknownColumn, line: firstLine,
                    "no column \(index) (0-based; the first row has \(columnCount) and no header)")
            }
            return index
        }
        let givenCaption = try index(options.captionColumn)
        let givenImage = try index(options.imageColumn)
        let givenID = try index(options.idColumn)
        let other = { (column: Int) in columnCount == 2 ? 1 - column : nil }
        let caption: Int
        var image: Int?
        var why = "no header row"
        switch (givenCaption, givenImage) {
        case let (givenCaption?, givenImage?):
            caption = givenCaption
            image = givenImage
        case let (givenCaption?, nil):
            caption = givenCaption
            if let candidate = other(givenCaption), pathShare(rows, column: candidate) > 0.5 {
                image = candidate
                why += ", the other column looks like paths/URLs"
            }
        case let (nil, givenImage?):
            guard let candidate = other(givenImage) else {
                throw error(.undecidableColumns, "\(columnCount) columns and no header: give the caption column too")
            }
            caption = candidate
        case (nil, nil):
            switch columnCount {
            case 1:
                caption = 0
            case 2:
                let share0 = pathShare(rows, column: 0)
                let share1 = pathShare(rows, column: 1)
                if share0 > 0.5, share1 <= 0.5 {
                    (caption, image) = (1, 0)
                } else if share1 > 0.5, share0 <= 0.5 {
                    (caption, image) = (0, 1)
                } else {
                    throw error(
                        .undecidableColumns,
                        "2 columns and no header, but not exactly one of them looks like image paths/URLs; give the caption and image columns"
                    )
                }
                why += ", the path/URL-looking column is the image"
            default:
                throw error(
                    .undecidableColumns,
                    "\(columnCount) columns and no header: give the caption column (and the image column)")
            }
        }
        try checkDistinct(caption: caption, image: image, id: givenID)
        return delimitedResult(
            format: format, delimiter: delimiter, formatPart: formatPart, header: nil, caption: caption, image: image,
            id: givenID, why: why)
    }

    private func checkDistinct(caption: Int, image: Int?, id: Int?) throws {
        if caption == image { throw error(.undecidableColumns, "the caption and the image are both column \(caption)") }
        if caption == id { throw error(.undecidableColumns, "the caption and the id are both column \(caption)") }
    }

    private func delimitedResult(
        format: CaptionFormat, delimiter: UInt8, formatPart: String, header: [String]?, caption: Int, image: Int?,
        id: Int?,
        why: String
    ) -> (plan: ReadPlan, layout: CaptionLayout) {
        func label(_ index: Int) -> String {
            if let header { return header[index] }
            return "column \(index)"
        }
        let captionLabel = label(caption)
        let imageLabel = image.map(label)
        let idLabel = id.map(label)
        let imagePart = imageLabel.map { "image=\($0)" } ?? "no image column"
        let idPart = idLabel.map { ", id=\($0)" } ?? ""
        let plan = ReadPlan.Delimited(
            delimiter: delimiter, hasHeader: header != nil, captionIndex: caption, imageIndex: image, idIndex: id,
            captionLabel: captionLabel, imageLabel: imageLabel, idLabel: idLabel)
        let layout = CaptionLayout(
            format: format, hasHeader: header != nil, columns: header, captionColumn: captionLabel,
            imageColumn: imageLabel,
            idColumn: idLabel, summary: "\(formatPart), \(why), caption=\(captionLabel), \(imagePart)\(idPart)")
        return (.delimited(plan), layout)
    }

    // MARK: JSONL

    private func jsonLinesLayout(formatPart: String) throws -> (plan: ReadPlan, layout: CaptionLayout) {
        for selector in [options.captionColumn, options.imageColumn, options.idColumn] {
            if case .index(let index)? = selector {
                throw error(.undecidableColumns, "JSONL fields are chosen by key name, not by index (\(index))")
            }
        }
        let firstObject = sample.lines().lazy.compactMap { $0.bytes.withUnsafeBufferPointer(parseJSONObject) }.first
        guard let firstObject else {
            throw error(.undecidableFormat, "no JSON object in the first \(FileSample.maxRecords) lines")
        }
        let keys = firstObject.keys.sorted()
        let keyList = keys.joined(separator: ", ")
        func resolve(_ selector: ColumnSelector?, defaults: [String], excluding: [String?]) throws -> String? {
            if case .name(let name)? = selector {
                guard let found = ColumnHeuristics.index(of: name, in: keys) else {
                    throw error(.unknownColumn, "no key '\(name)' in the first object (keys: \(keyList))")
                }
                return keys[found]
            }
            let candidates = keys.map { excluding.contains($0) ? "" : $0 }
            return ColumnHeuristics.firstKnown(defaults, in: candidates).map { keys[$0] }
        }
        guard
            let captionKey = try resolve(options.captionColumn, defaults: ColumnHeuristics.captionNames, excluding: [])
        else {
            throw error(
                .undecidableColumns, "no caption key in the first object (keys: \(keyList)); give the caption key")
        }
        let imageKey = try resolve(options.imageColumn, defaults: ColumnHeuristics.imageNames, excluding: [captionKey])
        let idKey = try resolve(
            options.idColumn, defaults: ColumnHeuristics.idNames, excluding: [captionKey, imageKey])
        if idKey == captionKey { throw error(.undecidableColumns, "the caption and the id are both key \(captionKey)") }
        let imagePart = imageKey.map { "image=key \($0)" } ?? "no image key"
        let idPart = idKey.map { ", id=key \($0)" } ?? ""
        let layout = CaptionLayout(
            format: .jsonl, hasHeader: false, columns: keys, captionColumn: "key \(captionKey)",
            imageColumn: imageKey.map { "key \($0)" }, idColumn: idKey.map { "key \($0)" },
            summary: "\(formatPart), caption=key \(captionKey), \(imagePart)\(idPart)")
        return (.jsonLines(ReadPlan.JSONLines(captionKey: captionKey, imageKey: imageKey, idKey: idKey)), layout)
    }

    // MARK: helpers

    private func isIndex(_ selector: ColumnSelector) -> Bool {
        if case .index = selector { return true }
        return false
    }

    private func quoted(_ selector: ColumnSelector) -> String { "'\(selector)'" }

    private func error(_ kind: CaptionFileError.Kind, line: Int? = nil, _ message: String) -> CaptionFileError {
        CaptionFileError(file: fileName, line: line, kind: kind, message: message)
    }
}
