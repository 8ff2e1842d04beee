/// Reads flat top-level columns of a Parquet file, one row group at a time.
///
/// Only the footer is read when opening; `readRowGroup` then reads just the selected
/// columns' chunks, so memory stays bounded by one row group of those columns.
public final class ParquetFileReader {
    public let path: String
    /// How errors name the file (a caller may prefer a relative or logical name).
    public let displayName: String
    public let columns: [ParquetColumnDescription]
    public let rowCount: Int64
    public let createdBy: String?

    private let input: FileInput
    private let metadata: FileMetadata
    private let fields: [TopLevelField]
    private let fieldsByName: [String: Int]
    /// Where the footer starts: column chunks must end before it.
    private let footerStart: Int64
    private let decompressor = PageDecompressor()

    private static let magic: [UInt8] = Array("PAR1".utf8)
    /// No real footer is anywhere near this; a larger length is corruption, not metadata.
    private static let maximumFooter: Int64 = 256 << 20

    public var rowGroupCount: Int { metadata.rowGroups.count }

    public func rowGroupRowCount(_ index: Int) -> Int64 { metadata.rowGroups[index].numRows }

    public init(path: String, displayName: String) throws {
        self.path = path
        self.displayName = displayName
        let input = try FileInput(path: path, displayName: displayName)
        self.input = input
        func fail(_ failure: DecodeFailure) -> ParquetError { failure.parquetError(file: displayName, column: nil) }
        do {
            let size = input.size
            if size < 12 {
                let head = try input.read(at: 0, count: Int(min(size, 4)))
                if head.count == 4 && head != Self.magic {
                    throw DecodeFailure(.notParquet, offset: 0, "no PAR1 magic at the start")
                }
                throw DecodeFailure(.truncated, offset: size, "file of \(size) bytes is too short for Parquet")
            }
            guard try input.read(at: 0, count: 4) == Self.magic else {
                throw DecodeFailure(.notParquet, offset: 0, "no PAR1 magic at the start: not a Parquet file")
            }
            let tail = try input.read(at: size - 8, count: 8)
            guard Array(tail[4..<8]) == Self.magic else {
                throw DecodeFailure(
                    .truncated, offset: size - 4, "no PAR1 magic at the end: truncated or still being written")
            }
            let footerLength = Int64(tail[0]) | Int64(tail[1]) << 8 | Int64(tail[2]) << 16 | Int64(tail[3]) << 24
            guard footerLength > 0, footerLength <= size - 12, footerLength <= Self.maximumFooter else {
                throw DecodeFailure(
                    .corrupt, offset: size - 8,
                    "footer length \(footerLength) does not fit in a file of \(size) bytes")
            }
            footerStart = size - 8 - footerLength
            let footer = try input.read(at: footerStart, count: Int(footerLength))
            var reader = ThriftCompactReader(footer, fileOffset: footerStart)
            let metadata = try FileMetadata(from: &reader)
            let fields = try TopLevelField.fields(of: metadata.schema)
            let leafCount = fields.reduce(0) { $0 + $1.leafCount }
            for (index, group) in metadata.rowGroups.enumerated() where group.columns.count != leafCount {
                throw DecodeFailure(
                    .corrupt, offset: footerStart,
                    "row group \(index) has \(group.columns.count) column chunks, the schema \(leafCount) columns")
            }
            self.metadata = metadata
            self.fields = fields
            rowCount = metadata.numRows
            createdBy = metadata.createdBy
            columns = fields.map(\.description)
            var byName: [String: Int] = [:]
            for (index, field) in fields.enumerated() where byName[field.description.name] == nil {
                byName[field.description.name] = index
            }
            fieldsByName = byName
        } catch let failure as DecodeFailure {
            throw fail(failure)
        }
    }

    /// The selected columns of row group `index`, in the order asked for.
    public func readRowGroup(_ index: Int, columns names: [String]) throws -> [ParquetColumnValues] {
        guard metadata.rowGroups.indices.contains(index) else {
            throw ParquetError(
                .noSuchColumn, file: displayName, "no row group \(index) (the file has \(metadata.rowGroups.count))")
        }
        let group = metadata.rowGroups[index]
        var result: [ParquetColumnValues] = []
        result.reserveCapacity(names.count)
        for name in names {
            guard let fieldIndex = fieldsByName[name] else {
                throw ParquetError(
                    .noSuchColumn, file: displayName, column: name,
                    "no such column (the file has \(fields.map(\.description.name).joined(separator: ", ")))")
            }
            let field = fields[fieldIndex]
            guard !field.description.isNested else {
                throw ParquetError(
                    .nestedColumn, file: displayName, column: name,
                    "is a nested (group or repeated) field; only flat columns can be read")
            }
            do {
                result.append(try readChunk(group.columns[field.firstLeaf], field: field, rows: group.numRows))
            } catch let failure as DecodeFailure {
                throw failure.parquetError(file: displayName, column: name)
            }
        }
        return result
    }

    private func readChunk(_ chunk: ColumnChunkMetadata, field: TopLevelField, rows: Int64) throws
        -> ParquetColumnValues
    {
        let type = field.description.physicalType
        guard chunk.hasMetadata else {
            throw DecodeFailure(.corrupt, offset: footerStart, "column chunk without metadata")
        }
        guard chunk.filePath == nil else {
            throw DecodeFailure(
                .unsupported, offset: footerStart, "column chunk lives in another file (\(chunk.filePath ?? ""))")
        }
        guard chunk.type == type.rawValue else {
            throw DecodeFailure(
                .corrupt, offset: footerStart, "column chunk has type \(chunk.type), the schema \(type)")
        }
        guard type != .fixedLenByteArray || (field.element.typeLength ?? 0) > 0 else {
            throw DecodeFailure(.corrupt, offset: footerStart, "FIXED_LEN_BYTE_ARRAY without a positive type_length")
        }
        guard CompressionCodec.isSupported(chunk.codec) else {
            throw DecodeFailure(
                .unsupported, offset: chunk.dataPageOffset,
                "compression codec \(CompressionCodec.name(chunk.codec)) is not supported")
        }
        guard chunk.numValues == rows else {
            throw DecodeFailure(
                .corrupt, offset: chunk.dataPageOffset,
                "column chunk holds \(chunk.numValues) values, its row group \(rows) rows")
        }
        // Some writers leave dictionary_page_offset unset (or 0) with the dictionary page first anyway;
        // the page loop recognises it by its header.
        var start = chunk.dataPageOffset
        if let dictionary = chunk.dictionaryPageOffset, dictionary > 0, dictionary < start { start = dictionary }
        let length = chunk.totalCompressedSize
        guard start >= 4, length <= footerStart - start else {
            throw DecodeFailure(
                .corrupt, offset: start,
                "column chunk of \(length) bytes at \(start) runs past the data, which ends at \(footerStart)")
        }
        // Even all-null pages spend a few bits per value run; far more values than that is a lie
        // that must not size the output arrays.
        guard rows <= (length + 1) * 16_384 else {
            throw DecodeFailure(.corrupt, offset: start, "column chunk of \(length) bytes cannot hold \(rows) values")
        }
        let bytes = try input.read(at: start, count: Int(length))
        let template = ParquetColumnValues(
            name: field.description.name, physicalType: type, logicalKind: field.description.logicalKind)
        let decoder = ColumnChunkDecoder(
            chunk: bytes, chunkOffset: start, codec: chunk.codec,
            isOptional: field.element.repetition != .required,
            typeLength: Int(field.element.typeLength ?? 0), decompressor: decompressor,
            template: template)
        return try decoder.decode(expectedValues: Int(rows), uncompressedSizeHint: chunk.totalUncompressedSize)
    }
}
