/// One row group's entry in the footer.
struct RowGroupMetadata {
    var columns: [ColumnChunkMetadata] = []
    var numRows: Int64 = -1

    init(from reader: inout ThriftCompactReader) throws {
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (1, ThriftCompactType.list):
                columns = try reader.readStructList(field.type) { try ColumnChunkMetadata(from: &$0) }
            case (3, ThriftCompactType.i64): numRows = try reader.readI64()
            default: try reader.skip(field.type)
            }
        }
        guard numRows >= 0 else { throw reader.failure("row group without a valid num_rows") }
    }
}
