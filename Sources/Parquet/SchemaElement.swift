/// One node of the flattened (depth-first) schema in the footer.
struct SchemaElement {
    enum Repetition: Int32 {
        case required = 0
        case optional = 1
        case repeated = 2
    }

    /// The parts of the LogicalType union this reader distinguishes.
    enum Logical {
        case string, map, list, enumeration, decimal, date, time, timestamp, integer, json, bson, uuid, float16, other
    }

    var type: Int32?
    var typeLength: Int32?
    var repetition: Repetition?
    var name = ""
    var numChildren: Int32?
    var convertedType: Int32?
    var logical: Logical?

    var isGroup: Bool { type == nil || (numChildren ?? 0) > 0 }

    init(from reader: inout ThriftCompactReader) throws {
        var sawName = false
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch (field.id, field.type) {
            case (1, ThriftCompactType.i32): type = try reader.readI32()
            case (2, ThriftCompactType.i32): typeLength = try reader.readI32()
            case (3, ThriftCompactType.i32):
                let raw = try reader.readI32()
                guard let value = Repetition(rawValue: raw) else { throw reader.failure("repetition \(raw)") }
                repetition = value
            case (4, ThriftCompactType.binary):
                name = try reader.readString()
                sawName = true
            case (5, ThriftCompactType.i32): numChildren = try reader.readI32()
            case (6, ThriftCompactType.i32): convertedType = try reader.readI32()
            case (10, ThriftCompactType.structure): logical = try Self.readLogical(&reader)
            default: try reader.skip(field.type)
            }
        }
        guard sawName else { throw reader.failure("schema element without a name") }
    }

    /// LogicalType is a union: the one field present says which; its content is skipped.
    private static func readLogical(_ reader: inout ThriftCompactReader) throws -> Logical? {
        var result: Logical?
        try reader.beginStruct()
        while let field = try reader.nextField() {
            switch field.id {
            case 1: result = .string
            case 2: result = .map
            case 3: result = .list
            case 4: result = .enumeration
            case 5: result = .decimal
            case 6: result = .date
            case 7: result = .time
            case 8: result = .timestamp
            case 10: result = .integer
            case 12: result = .json
            case 13: result = .bson
            case 14: result = .uuid
            case 15: result = .float16
            default: result = .other
            }
            try reader.skip(field.type)
        }
        return result
    }
}
