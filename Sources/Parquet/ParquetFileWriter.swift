/// Writes a Parquet file of flat columns: data page v1, PLAIN values, RLE definition levels,
/// one column chunk per column per row group of `rowGroupRows` rows.
///
/// Values are appended column by column, then `endRow()`; `close()` writes the footer.
/// Only `path` is written: a caller wanting atomicity writes a temporary name and renames it.
public final class ParquetFileWriter {
    public let path: String
    public let columns: [ParquetWriterColumn]
    public let compression: ParquetCompression
    public let rowGroupRows: Int
    public private(set) var rowCount: Int64 = 0

    private let output: FileOutput
    private let compressor: PageCompressor
    private let writers: [ColumnChunkWriter]
    private var rowsInGroup = 0
    /// The RowGroup structs written so far, encoded, for the footer's list.
    private var rowGroups = ThriftCompactWriter()
    private var rowGroupCount = 0
    /// The first misuse seen by an append; reported by the next `endRow` or `close`.
    private var misuse: String?
    private var closed = false

    private static let magic: [UInt8] = Array("PAR1".utf8)

    public init(
        path: String, columns: [ParquetWriterColumn], compression: ParquetCompression = .snappy,
        rowGroupRows: Int = 128 * 1024
    ) throws {
        guard !columns.isEmpty else {
            throw ParquetError(.misuse, file: path, "a Parquet file needs at least one column")
        }
        guard Set(columns.map(\.name)).count == columns.count else {
            throw ParquetError(.misuse, file: path, "column names repeat")
        }
        self.path = path
        self.columns = columns
        self.compression = compression
        self.rowGroupRows = max(1, rowGroupRows)
        compressor = PageCompressor(compression)
        writers = columns.map(ColumnChunkWriter.init)
        output = try FileOutput(path: path)
        try output.write(Self.magic)
    }

    private func writer(_ column: Int, _ type: ParquetWriterColumn.ValueType, isNull: Bool) -> ColumnChunkWriter? {
        guard misuse == nil else { return nil }
        guard !closed else {
            misuse = "append after close"
            return nil
        }
        guard writers.indices.contains(column) else {
            misuse = "append to column \(column) of \(writers.count)"
            return nil
        }
        let writer = writers[column]
        guard writer.column.type == type else {
            misuse = "column \(writer.column.name) holds \(writer.column.type), not \(type)"
            return nil
        }
        guard !isNull || writer.column.nullable else {
            misuse = "null in the required column \(writer.column.name)"
            return nil
        }
        guard writer.rowsInGroup == rowsInGroup else {
            misuse = "two values for column \(writer.column.name) in row \(rowCount)"
            return nil
        }
        return writer
    }

    public func append(string value: String?, column: Int) {
        guard let writer = writer(column, .string, isNull: value == nil) else { return }
        guard var value else { return writer.appendNull() }
        value.withUTF8 { writer.append(utf8: $0) }
    }

    /// Appends raw bytes to a string column (the caller vouches for them being UTF-8).
    public func append(utf8 value: UnsafeBufferPointer<UInt8>?, column: Int) {
        guard let writer = writer(column, .string, isNull: value == nil) else { return }
        guard let value else { return writer.appendNull() }
        writer.append(utf8: value)
    }

    public func append(int64 value: Int64?, column: Int) {
        guard let writer = writer(column, .int64, isNull: value == nil) else { return }
        guard let value else { return writer.appendNull() }
        writer.append(fixed: UInt64(bitPattern: value))
    }

    public func append(double value: Double?, column: Int) {
        guard let writer = writer(column, .double, isNull: value == nil) else { return }
        guard let value else { return writer.appendNull() }
        writer.append(fixed: value.bitPattern)
    }

    /// Ends the row every column received a value for; writes a row group when it is full.
    public func endRow() throws {
        try checkMisuse()
        rowsInGroup += 1
        for writer in writers {
            guard writer.rowsInGroup == rowsInGroup else {
                misuse = "row \(rowCount) has no value for column \(writer.column.name)"
                try checkMisuse()
                return
            }
            if writer.pageIsFull {
                try wrap { try writer.flushPage(compressor) }
            }
        }
        rowCount += 1
        if rowsInGroup >= rowGroupRows { try flushRowGroup() }
    }

    /// Writes the last row group and the footer. A writer that is not closed leaves an
    /// incomplete file behind (no footer), which readers reject.
    public func close() throws {
        guard !closed else { return }
        try checkMisuse()
        if rowsInGroup > 0 { try flushRowGroup() }
        closed = true
        var footer = ThriftCompactWriter()
        footer.beginStructValue()
        footer.field(1, i32: 1)
        footer.beginList(2, elementType: ThriftCompactType.structure, count: columns.count + 1)
        footer.beginStructValue()
        footer.field(4, string: "schema")
        footer.field(5, i32: Int32(columns.count))
        footer.endStruct()
        for column in columns {
            footer.beginStructValue()
            footer.field(1, i32: Self.physicalType(column.type).rawValue)
            footer.field(3, i32: column.nullable ? 1 : 0)
            footer.field(4, string: column.name)
            if column.type == .string {
                footer.field(6, i32: 0) // ConvertedType UTF8, for readers predating LogicalType
                footer.beginStruct(10)
                footer.beginStruct(1) // LogicalType.STRING
                footer.endStruct()
                footer.endStruct()
            }
            footer.endStruct()
        }
        footer.field(3, i64: rowCount)
        footer.beginList(4, elementType: ThriftCompactType.structure, count: rowGroupCount)
        footer.appendRaw(rowGroups.bytes)
        footer.field(6, string: "laclip")
        footer.endStruct()
        var bytes = footer.bytes
        let length = UInt32(bytes.count)
        withUnsafeBytes(of: length.littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: Self.magic)
        try output.write(bytes)
        try output.finish()
    }

    private static func physicalType(_ type: ParquetWriterColumn.ValueType) -> ParquetPhysicalType {
        switch type {
        case .string: return .byteArray
        case .int64: return .int64
        case .double: return .double
        }
    }

    private func checkMisuse() throws {
        if let misuse { throw ParquetError(.misuse, file: path, misuse) }
        if closed { throw ParquetError(.misuse, file: path, "writer already closed") }
    }

    private func wrap(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as DecodeFailure {
            throw failure.parquetError(file: path, column: nil)
        }
    }

    private func flushRowGroup() throws {
        var chunks = ThriftCompactWriter()
        chunks.beginStructValue()
        chunks.beginList(1, elementType: ThriftCompactType.structure, count: writers.count)
        var totalUncompressed: Int64 = 0
        var totalCompressed: Int64 = 0
        let groupStart = output.offset
        for writer in writers {
            try wrap { try writer.flushPage(compressor) }
            let (bytes, uncompressed) = writer.takeChunk()
            let start = output.offset
            try output.write(bytes)
            totalUncompressed += uncompressed
            totalCompressed += Int64(bytes.count)
            chunks.beginStructValue()
            chunks.field(2, i64: start)
            chunks.beginStruct(3)
            chunks.field(1, i32: Self.physicalType(writer.column.type).rawValue)
            chunks.field(2, i32List: [Encoding.plain, Encoding.rle])
            chunks.field(3, stringList: [writer.column.name])
            chunks.field(4, i32: compression.codec)
            chunks.field(5, i64: Int64(rowsInGroup))
            chunks.field(6, i64: uncompressed)
            chunks.field(7, i64: Int64(bytes.count))
            chunks.field(9, i64: start)
            chunks.endStruct()
            chunks.endStruct()
        }
        chunks.field(2, i64: totalUncompressed)
        chunks.field(3, i64: Int64(rowsInGroup))
        chunks.field(5, i64: groupStart)
        chunks.field(6, i64: totalCompressed)
        chunks.endStruct()
        rowGroups.appendRaw(chunks.bytes)
        rowGroupCount += 1
        rowsInGroup = 0
    }
}
