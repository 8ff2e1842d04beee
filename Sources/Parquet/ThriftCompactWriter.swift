/// Encodes the Thrift compact protocol for the footer and page headers the writer emits.
struct ThriftCompactWriter {
    private(set) var bytes: [UInt8] = []
    private var lastFieldId: Int16 = 0
    private var enclosingFieldIds: [Int16] = []

    /// Bytes already encoded elsewhere (list elements built before their count was known).
    mutating func appendRaw(_ encoded: [UInt8]) {
        bytes.append(contentsOf: encoded)
    }

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func zigzag(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    private mutating func fieldHeader(_ id: Int16, _ type: UInt8) {
        let delta = id - lastFieldId
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type)
        } else {
            bytes.append(type)
            zigzag(Int64(id))
        }
        lastFieldId = id
    }

    mutating func field(_ id: Int16, i32 value: Int32) {
        fieldHeader(id, ThriftCompactType.i32)
        zigzag(Int64(value))
    }

    mutating func field(_ id: Int16, i64 value: Int64) {
        fieldHeader(id, ThriftCompactType.i64)
        zigzag(value)
    }

    mutating func field(_ id: Int16, string value: String) {
        fieldHeader(id, ThriftCompactType.binary)
        stringValue(value)
    }

    private mutating func stringValue(_ value: String) {
        varint(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    mutating func beginStruct(_ id: Int16) {
        fieldHeader(id, ThriftCompactType.structure)
        beginStructValue()
    }

    /// A struct that is a list element (no field header of its own).
    mutating func beginStructValue() {
        enclosingFieldIds.append(lastFieldId)
        lastFieldId = 0
    }

    mutating func endStruct() {
        bytes.append(ThriftCompactType.stop)
        lastFieldId = enclosingFieldIds.popLast() ?? 0
    }

    mutating func beginList(_ id: Int16, elementType: UInt8, count: Int) {
        fieldHeader(id, ThriftCompactType.list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType)
        } else {
            bytes.append(0xF0 | elementType)
            varint(UInt64(count))
        }
    }

    mutating func field(_ id: Int16, i32List values: [Int32]) {
        beginList(id, elementType: ThriftCompactType.i32, count: values.count)
        for value in values { zigzag(Int64(value)) }
    }

    mutating func field(_ id: Int16, stringList values: [String]) {
        beginList(id, elementType: ThriftCompactType.binary, count: values.count)
        for value in values { stringValue(value) }
    }
}
