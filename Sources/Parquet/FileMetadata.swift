/// The footer's FileMetaData, reduced to what reading flat columns needs.
struct FileMetadata {
    var schema: [SchemaElement] = []
    var numRows: Int64 = -1
    var rowGroups: [RowGroupMetadata] = []
    var createdBy: String?

    init(from reader: inout ThriftCompactReader) throws {
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (2, ThriftCompactType.list):
                schema = try reader.readStructList(field.type) { try SchemaElement(from: &$0) }
            case (3, ThriftCompactType.i64): numRows = try reader.readI64()
            case (4, ThriftCompactType.list):
                rowGroups = try reader.readStructList(field.type) { try RowGroupMetadata(from: &$0) }
            case (6, ThriftCompactType.binary): createdBy = try reader.readString()
            default: try reader.skip(field.type)
            }
        }
        guard !schema.isEmpty, numRows >= 0 else { throw reader.failure("footer without schema or num_rows") }
    }
}
