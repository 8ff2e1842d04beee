/// Buffers one column's values for the current page, cuts pages (data page v1: RLE definition
/// levels, then PLAIN values) and collects them into the current row group's column chunk.
final class ColumnChunkWriter {
    let column: ParquetWriterColumn
    /// Rows appended to this column in the current row group.
    private(set) var rowsInGroup = 0
    private(set) var chunk: [UInt8] = []
    private(set) var uncompressedChunkSize: Int64 = 0

    private var values: [UInt8] = []
    private var pageRows = 0
    /// Definition levels as RLE runs, built while appending; the open run is not in it yet.
    private var levelRuns: [UInt8] = []
    private var runLevel: UInt8 = 1
    private var runLength = 0
    private var pageBody: [UInt8] = []
    private var compressed: [UInt8] = []

    /// Pages are cut near this many value bytes, the size most writers use.
    private static let pageBytes = 1 << 20

    init(_ column: ParquetWriterColumn) {
        self.column = column
        values.reserveCapacity(Self.pageBytes + 4096)
    }

    @inline(__always)
    private func appendLevel(_ level: UInt8) {
        if level != runLevel && runLength > 0 { closeRun() }
        runLevel = level
        runLength += 1
    }

    private func closeRun() {
        var header = UInt64(runLength) << 1
        while header >= 0x80 {
            levelRuns.append(UInt8(truncatingIfNeeded: header) | 0x80)
            header >>= 7
        }
        levelRuns.append(UInt8(header))
        levelRuns.append(runLevel)
        runLength = 0
    }

    func appendNull() {
        appendLevel(0)
        pageRows += 1
        rowsInGroup += 1
    }

    func append(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        if column.nullable { appendLevel(1) }
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: bytes.count).littleEndian) { values.append(contentsOf: $0) }
        values.append(contentsOf: bytes)
        pageRows += 1
        rowsInGroup += 1
    }

    func append(fixed bits: UInt64) {
        if column.nullable { appendLevel(1) }
        withUnsafeBytes(of: bits.littleEndian) { values.append(contentsOf: $0) }
        pageRows += 1
        rowsInGroup += 1
    }

    var pageIsFull: Bool { values.count >= Self.pageBytes || pageRows >= 1 << 20 }

    /// Writes the open page (if any) into the chunk.
    func flushPage(_ compressor: PageCompressor) throws {
        guard pageRows > 0 else { return }
        pageBody.removeAll(keepingCapacity: true)
        if column.nullable {
            if runLength > 0 { closeRun() }
            withUnsafeBytes(of: UInt32(levelRuns.count).littleEndian) { pageBody.append(contentsOf: $0) }
            pageBody.append(contentsOf: levelRuns)
        }
        pageBody.append(contentsOf: values)
        try pageBody.withUnsafeBytes { try compressor.compress($0, into: &compressed) }

        var header = ThriftCompactWriter()
        header.beginStructValue()
        header.field(1, i32: 0) // DATA_PAGE
        header.field(2, i32: Int32(pageBody.count))
        header.field(3, i32: Int32(compressed.count))
        header.beginStruct(5)
        header.field(1, i32: Int32(pageRows))
        header.field(2, i32: Encoding.plain)
        header.field(3, i32: Encoding.rle)
        header.field(4, i32: Encoding.rle)
        header.endStruct()
        header.endStruct()

        chunk.append(contentsOf: header.bytes)
        chunk.append(contentsOf: compressed)
        uncompressedChunkSize += Int64(header.bytes.count + pageBody.count)
        values.removeAll(keepingCapacity: true)
        levelRuns.removeAll(keepingCapacity: true)
        runLength = 0
        pageRows = 0
    }

    /// Hands over the finished chunk's bytes and starts the next row group.
    func takeChunk() -> (bytes: [UInt8], uncompressedSize: Int64) {
        let result = (chunk, uncompressedChunkSize)
        chunk = []
        uncompressedChunkSize = 0
        rowsInGroup = 0
        return result
    }
}
