/// A column chunk's entry in a row group (ColumnChunk with its ColumnMetaData inlined).
struct ColumnChunkMetadata {
    var filePath: String?
    var type: Int32 = -1
    var encodings: [Int32] = []
    var pathInSchema: [String] = []
    var codec: Int32 = -1
    var numValues: Int64 = -1
    var totalUncompressedSize: Int64 = -1
    var totalCompressedSize: Int64 = -1
    var dataPageOffset: Int64 = -1
    var dictionaryPageOffset: Int64?
    var hasMetadata = false

    init(from reader: inout ThriftCompactReader) throws {
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (1, ThriftCompactType.binary): filePath = try reader.readString()
            case (3, ThriftCompactType.structure): try readMetadata(&reader)
            default: try reader.skip(field.type)
            }
        }
    }

    private mutating func readMetadata(_ reader: inout ThriftCompactReader) throws {
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (1, ThriftCompactType.i32): type = try reader.readI32()
            case (2, ThriftCompactType.list): encodings = try reader.readI32List(field.type)
            case (3, ThriftCompactType.list): pathInSchema = try reader.readStringList(field.type)
            case (4, ThriftCompactType.i32): codec = try reader.readI32()
            case (5, ThriftCompactType.i64): numValues = try reader.readI64()
            case (6, ThriftCompactType.i64): totalUncompressedSize = try reader.readI64()
            case (7, ThriftCompactType.i64): totalCompressedSize = try reader.readI64()
            case (9, ThriftCompactType.i64): dataPageOffset = try reader.readI64()
            case (11, ThriftCompactType.i64): dictionaryPageOffset = try reader.readI64()
            default: try reader.skip(field.type)
            }
        }
        guard type >= 0, codec >= 0, numValues >= 0, totalCompressedSize >= 0, dataPageOffset >= 0 else {
            throw reader.failure("column metadata lacks a required field or has a negative one")
        }
        hasMetadata = true
    }
}
