/// A child of the schema root, with where its leaf columns sit among each row group's chunks.
struct TopLevelField {
    var description: ParquetColumnDescription
    var element: SchemaElement
    /// Index of its first leaf among the column chunks; a flat field has exactly one leaf.
    var firstLeaf: Int
    var leafCount: Int

    /// Walks the depth-first schema list; throws when the children counts do not add up.
    static func fields(of schema: [SchemaElement]) throws -> [TopLevelField] {
        func corrupt(_ message: String) -> DecodeFailure {
            DecodeFailure(.corrupt, offset: nil, "bad schema: \(message)")
        }
        guard let root = schema.first else { throw corrupt("empty") }
        let childCount = Int(root.numChildren ?? 0)
        guard childCount >= 0, childCount < schema.count else { throw corrupt("root declares \(childCount) children") }
        var fields: [TopLevelField] = []
        var index = 1
        var leaves = 0
        for _ in 0..<childCount {
            guard index < schema.count else { throw corrupt("ends inside a field") }
            let element = schema[index]
            let firstLeaf = leaves
            var firstLeafElement: SchemaElement?
            var pending = 1
            while pending > 0 {
                guard index < schema.count else {
                    throw corrupt("field \(element.name) declares more children than there are")
                }
                let node = schema[index]
                pending -= 1
                if node.isGroup {
                    let children = Int(node.numChildren ?? 0)
                    guard children >= 0, children < schema.count else {
                        throw corrupt("\(node.name) declares \(children) children")
                    }
                    pending += children
                } else {
                    if firstLeafElement == nil { firstLeafElement = node }
                    leaves += 1
                }
                index += 1
            }
            let nested = element.isGroup || element.repetition == .repeated
            let leafType = (firstLeafElement?.type).flatMap(ParquetPhysicalType.init(rawValue:)) ?? .byteArray
            if !nested && ParquetPhysicalType(rawValue: element.type ?? -1) == nil {
                throw corrupt("field \(element.name) has physical type \(element.type ?? -1)")
            }
            let description = ParquetColumnDescription(
                name: element.name, physicalType: leafType,
                logicalKind: nested ? .nested : logicalKind(element, leafType),
                isNullable: element.repetition != .required, isNested: nested)
            fields.append(
                TopLevelField(
                    description: description, element: element, firstLeaf: firstLeaf, leafCount: leaves - firstLeaf))
        }
        return fields
    }

    /// Reads the LogicalType when present, else the legacy ConvertedType.
    private static func logicalKind(_ element: SchemaElement, _ type: ParquetPhysicalType) -> ParquetLogicalKind {
        // ConvertedType: 0 UTF8, 4 ENUM, 5 DECIMAL, 6 DATE, 7...10 TIME/TIMESTAMP, 19 JSON, 21 INTERVAL.
        let converted = element.convertedType ?? -1
        switch type {
        case .boolean: return .boolean
        case .float, .double: return .floatingPoint
        case .int96, .fixedLenByteArray: return .binary
        case .int32, .int64:
            switch element.logical {
            case .decimal, .date, .time, .timestamp: return .annotatedNumber
            case nil where [5, 6, 7, 8, 9, 10].contains(converted): return .annotatedNumber
            default: return .integer
            }
        case .byteArray:
            switch element.logical {
            case .string, .enumeration, .json: return .string
            case nil where [0, 4, 19].contains(converted): return .string
            default: return .binary
            }
        }
    }
}
