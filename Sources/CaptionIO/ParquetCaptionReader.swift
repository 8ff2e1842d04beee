import Foundation
import Parquet

/// Streams caption records from one Parquet file (LAION, DataComp, Hugging Face metadata), a
/// row group at a time, reading only the caption, image and id columns: memory is one row
/// group of those columns, whatever the file's size or its other columns (nested ones
/// included, which are skipped unless selected).
public final class ParquetCaptionReader: CaptionSource {
    public let layout: CaptionLayout
    public let fileName: String

    private let file: ParquetFileReader
    private let selected: [String]
    private let hasImage: Bool
    private let hasID: Bool
    private let maxCaptionCharacters: Int
    private var group = -1
    private var columns: [ParquetColumnValues] = []
    private var rowInGroup = 0
    private var groupRows = 0
    private var row = 0

    static let captionNames = ColumnHeuristics.captionNames + ["org_caption", "re_caption"]
    static let imageNames = [
        "url", "image_url", "img_url", "image", "image_path", "filepath", "file_path", "path", "filename", "file_name",
    ]

    public init(url: URL, options: CaptionReaderOptions = .init()) throws {
        let fileName = url.isFileURL ? url.relativePath : url.absoluteString
        self.fileName = fileName
        maxCaptionCharacters = options.maxCaptionCharacters
        do {
            file = try ParquetFileReader(path: url.path, displayName: fileName)
        } catch let error as ParquetError {
            throw Self.fileError(error)
        }
        let all = file.columns
        let names = all.map(\.name)
        func fail(_ kind: CaptionFileError.Kind, _ message: String) -> CaptionFileError {
            CaptionFileError(file: fileName, kind: kind, message: message)
        }
        func resolve(_ selector: ColumnSelector, role: String) throws -> ParquetColumnDescription {
            let found: Int?
            switch selector {
            case .name(let name): found = ColumnHeuristics.index(of: name, in: names)
            case .index(let index): found = index < all.count ? index : nil
            }
            guard let found else {
                throw fail(.unknownColumn, "no \(role) column \(selector) (columns: \(names.joined(separator: ", ")))")
            }
            let column = all[found]
            if column.isNested {
                throw fail(
                    .unsupported,
                    "column \(column.name): the \(role) column is nested (a list, map or struct); select a flat column")
            }
            return column
        }
        /// The first flat column with a preferred name that holds the right kind of value.
        func guess(_ preferred: [String], accept: (ParquetColumnDescription) -> Bool) -> ParquetColumnDescription? {
            let flat = all.filter { !$0.isNested && accept($0) }
            return ColumnHeuristics.firstKnown(preferred, in: flat.map(\.name)).map { flat[$0] }
        }
        let isText = { (c: ParquetColumnDescription) in c.physicalType == .byteArray }

        let caption: ParquetColumnDescription
        if let selector = options.captionColumn {
            caption = try resolve(selector, role: "caption")
            guard isText(caption) else {
                throw fail(
                    .unsupported, "column \(caption.name): the caption column holds \(caption.physicalType), not text")
            }
        } else if let found = guess(Self.captionNames, accept: isText) {
            caption = found
        } else {
            throw fail(
                .undecidableColumns,
                "no caption column among \(names.joined(separator: ", ")); give --caption-column NAME")
        }
        var image: ParquetColumnDescription?
        if let selector = options.imageColumn {
            image = try resolve(selector, role: "image")
        } else if let found = guess(Self.imageNames, accept: isText), found.name != caption.name {
            image = found
        }
        var id: ParquetColumnDescription?
        if let selector = options.idColumn {
            id = try resolve(selector, role: "id")
        } else if let found = guess(ColumnHeuristics.idNames, accept: { _ in true }), found.name != caption.name,
            found.name != image?.name
        {
            id = found
        }
        selected = [caption.name] + [image?.name, id?.name].compactMap { $0 }
        hasImage = image != nil
        hasID = id != nil
        let nested = all.filter(\.isNested).map(\.name)
        var summary =
            "parquet (\(options.format == .parquet ? "format given" : "by extension .\(url.pathExtension)")), "
        summary += "caption=\(caption.name), image=\(image?.name ?? "none"), id=\(id?.name ?? "none")"
        if !nested.isEmpty { summary += "; nested columns skipped: \(nested.joined(separator: ", "))" }
        layout = CaptionLayout(
            format: .parquet, hasHeader: true, columns: names, captionColumn: caption.name,
            imageColumn: image?.name, idColumn: id?.name, summary: summary)
    }

    public func next() throws -> CaptionReadResult? {
        while rowInGroup >= groupRows {
            group += 1
            guard group < file.rowGroupCount else { return nil }
            // The previous group is dropped first, or both would be in memory while the next is decoded.
            columns = []
            do {
                columns = try file.readRowGroup(group, columns: selected)
            } catch let error as ParquetError {
                throw Self.fileError(error)
            }
            groupRows = columns.first?.rowCount ?? 0
            rowInGroup = 0
        }
        defer {
            rowInGroup += 1
            row += 1
        }
        let i = rowInGroup
        func bad(_ reason: BadRowReason, _ detail: String) -> CaptionReadResult {
            .bad(
                BadRow(
                    file: fileName, line: 0, row: row, reason: reason, detail: detail, place: "\(fileName): row \(row)")
            )
        }
        let captionColumn = columns[0]
        guard
            let decoded = captionColumn.withBytes(
                i, { String(validating: $0.bindMemory(to: UInt8.self), as: UTF8.self) })
        else {
            return bad(.emptyCaption, "empty caption: \(captionColumn.name) is null")
        }
        guard let caption = decoded else {
            return bad(.invalidUTF8, "invalid UTF-8 in the caption (\(captionColumn.name))")
        }
        if let problem = CaptionCheck.problem(caption, maxCharacters: maxCaptionCharacters) {
            return bad(problem.reason, problem.detail)
        }
        var image: String?
        if hasImage {
            let column = columns[1]
            if let text = column.withBytes(i, { String(validating: $0.bindMemory(to: UInt8.self), as: UTF8.self) }) {
                guard let text else { return bad(.invalidUTF8, "invalid UTF-8 in the image column (\(column.name))") }
                image = text
            } else {
                image = column.description(i)
            }
        }
        let key = hasID ? columns[columns.count - 1].description(i) : nil
        return .record(CaptionRecord(line: 0, row: row, caption: caption, image: image, key: key))
    }

    static func fileError(_ error: ParquetError) -> CaptionFileError {
        let kind: CaptionFileError.Kind =
            switch error.kind {
            case .notParquet, .truncated, .corrupt: .corrupt
            case .unsupported, .nestedColumn: .unsupported
            case .noSuchColumn: .unknownColumn
            case .io, .misuse: .readFailed
            }
        var message = ""
        if let offset = error.offset { message += "offset \(offset): " }
        if let column = error.column { message += "column \(column): " }
        return CaptionFileError(file: error.file, kind: kind, message: message + error.message)
    }
}
