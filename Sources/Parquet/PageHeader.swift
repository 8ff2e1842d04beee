/// A page's header, which precedes its (possibly compressed) bytes in the column chunk.
struct PageHeader {
    enum PageType: Int32 {
        case dataPage = 0
        case indexPage = 1
        case dictionaryPage = 2
        case dataPageV2 = 3
    }

    var type: PageType?
    /// Kept raw so an unknown page type can be skipped rather than rejected.
    var rawType: Int32 = -1
    var uncompressedSize: Int32 = -1
    var compressedSize: Int32 = -1
    var numValues: Int32 = -1
    var encoding: Int32 = -1
    var definitionLevelEncoding: Int32 = 3
    var repetitionLevelEncoding: Int32 = 3
    // Data page v2 only.
    var numNulls: Int32 = 0
    var numRows: Int32 = -1
    var definitionLevelsByteLength: Int32 = 0
    var repetitionLevelsByteLength: Int32 = 0
    var isCompressed = true

    init(from reader: inout ThriftCompactReader) throws {
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (1, ThriftCompactType.i32):
                rawType = try reader.readI32()
                type = PageType(rawValue: rawType)
            case (2, ThriftCompactType.i32): uncompressedSize = try reader.readI32()
            case (3, ThriftCompactType.i32): compressedSize = try reader.readI32()
            case (5, ThriftCompactType.structure): try readDataPageHeader(&reader)
            case (7, ThriftCompactType.structure): try readDictionaryPageHeader(&reader)
            case (8, ThriftCompactType.structure): try readDataPageHeaderV2(&reader)
            default: try reader.skip(field.type)
            }
        }
        guard rawType >= 0, uncompressedSize >= 0, compressedSize >= 0 else {
            throw reader.failure("page header lacks type or sizes, or has negative ones")
        }
    }

    private mutating func readDataPageHeader(_ reader: inout ThriftCompactReader) throws {
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (1, ThriftCompactType.i32): numValues = try reader.readI32()
            case (2, ThriftCompactType.i32): encoding = try reader.readI32()
            case (3, ThriftCompactType.i32): definitionLevelEncoding = try reader.readI32()
            case (4, ThriftCompactType.i32): repetitionLevelEncoding = try reader.readI32()
            default: try reader.skip(field.type)
            }
        }
    }

    private mutating func readDictionaryPageHeader(_ reader: inout ThriftCompactReader) throws {
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (1, ThriftCompactType.i32): numValues = try reader.readI32()
            case (2, ThriftCompactType.i32): encoding = try reader.readI32()
            default: try reader.skip(field.type)
            }
        }
    }

    private mutating func readDataPageHeaderV2(_ reader: inout ThriftCompactReader) throws {
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (1, ThriftCompactType.i32): numValues = try reader.readI32()
            case (2, ThriftCompactType.i32): numNulls = try reader.readI32()
            case (3, ThriftCompactType.i32): numRows = try reader.readI32()
            case (4, ThriftCompactType.i32): encoding = try reader.readI32()
            case (5, ThriftCompactType.i32): definitionLevelsByteLength = try reader.readI32()
            case (6, ThriftCompactType.i32): repetitionLevelsByteLength = try reader.readI32()
            case (7, ThriftCompactType.boolTrue), (7, ThriftCompactType.boolFalse):
                isCompressed = try reader.boolValue(ofFieldType: field.type)
            default: try reader.skip(field.type)
            }
        }
    }
}
