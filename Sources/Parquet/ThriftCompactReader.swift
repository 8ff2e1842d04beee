/// A decoder for the Thrift compact protocol, enough for parquet.thrift: the metadata structs
/// are decoded by hand field by field, and every field this reader does not know (newer
/// writers add some) is skipped by type, however deeply it nests.
struct ThriftCompactReader {
    private let bytes: [UInt8]
    private(set) var position: Int
    private let end: Int
    /// The file offset of `bytes[0]`, so failures point into the file.
    private let fileOffset: Int64
    private var lastFieldId: Int16 = 0
    private var enclosingFieldIds: [Int16] = []

    /// Deeper nesting than this is an attack on the stack, not metadata.
    private static let maximumDepth = 64

    init(_ bytes: [UInt8], from start: Int = 0, end: Int? = nil, fileOffset: Int64) {
        self.bytes = bytes
        self.position = start
        self.end = min(end ?? bytes.count, bytes.count)
        self.fileOffset = fileOffset
    }

    func failure(_ message: String) -> DecodeFailure {
        DecodeFailure(.corrupt, offset: fileOffset + Int64(position), "bad metadata (thrift): \(message)")
    }

    var remaining: Int { end - position }

    mutating func readByte() throws -> UInt8 {
        guard position < end else { throw failure("ends inside a structure") }
        let value = bytes[position]
        position += 1
        return value
    }

    mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            guard shift < 64 else { throw failure("varint longer than 10 bytes") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func readI64() throws -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    mutating func readI32() throws -> Int32 {
        let value = try readI64()
        guard let narrow = Int32(exactly: value) else { throw failure("i32 out of range") }
        return narrow
    }

    mutating func readDouble() throws -> Double {
        guard remaining >= 8 else { throw failure("ends inside a double") }
        var raw: UInt64 = 0
        for index in 0..<8 { raw |= UInt64(bytes[position + index]) << (8 * UInt64(index)) }
        position += 8
        return Double(bitPattern: raw)
    }

    mutating func readBinary() throws -> ArraySlice<UInt8> {
        let length = try readVarint()
        guard length <= UInt64(remaining) else { throw failure("binary of \(length) bytes past the end") }
        let start = position
        position += Int(length)
        return bytes[start..<position]
    }

    mutating func readString() throws -> String {
        String(decoding: try readBinary(), as: UTF8.self)
    }

    mutating func beginStruct() throws {
        guard enclosingFieldIds.count < Self.maximumDepth else { throw failure("nested too deeply") }
        enclosingFieldIds.append(lastFieldId)
        lastFieldId = 0
    }

    /// The next field's id and wire type, or nil at the struct's end (which leaves the struct).
    mutating func nextField() throws -> (id: Int16, type: UInt8)? {
        let header = try readByte()
        let type = header & 0x0F
        if type == ThriftCompactType.stop {
            lastFieldId = enclosingFieldIds.popLast() ?? 0
            return nil
        }
        let delta = Int16(header >> 4)
        if delta != 0 {
            lastFieldId &+= delta
        } else {
            let raw = try readI64()
            guard let id = Int16(exactly: raw) else { throw failure("field id out of range") }
            lastFieldId = id
        }
        return (lastFieldId, type)
    }

    /// Booleans in a field header carry their value in the type nibble.
    func boolValue(ofFieldType type: UInt8) throws -> Bool {
        switch type {
        case ThriftCompactType.boolTrue: return true
        case ThriftCompactType.boolFalse: return false
        default: throw failure("expected a bool field, found type \(type)")
        }
    }

    mutating func readListHeader() throws -> (count: Int, elementType: UInt8) {
        let header = try readByte()
        var count = UInt64(header >> 4)
        if count == 15 { count = try readVarint() }
        // Every element takes at least one byte, so a count beyond the bytes left is a lie
        // that must not size an allocation.
        guard count <= UInt64(remaining) else { throw failure("list of \(count) elements past the end") }
        return (Int(count), header & 0x0F)
    }

    mutating func expect(_ type: UInt8, _ expected: UInt8, _ what: String) throws {
        guard type == expected else { throw failure("\(what) has wire type \(type), expected \(expected)") }
    }

    mutating func readI32List(_ type: UInt8) throws -> [Int32] {
        try expect(type, ThriftCompactType.list, "list field")
        let (count, elementType) = try readListHeader()
        try expect(elementType, ThriftCompactType.i32, "list element")
        var values: [Int32] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try readI32()) }
        return values
    }

    mutating func readStringList(_ type: UInt8) throws -> [String] {
        try expect(type, ThriftCompactType.list, "list field")
        let (count, elementType) = try readListHeader()
        try expect(elementType, ThriftCompactType.binary, "list element")
        var values: [String] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try readString()) }
        return values
    }

    mutating func readStructList<T>(_ type: UInt8, _ element: (inout ThriftCompactReader) throws -> T) throws -> [T] {
        try expect(type, ThriftCompactType.list, "list field")
        let (count, elementType) = try readListHeader()
        try expect(elementType, ThriftCompactType.structure, "list element")
        var values: [T] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try element(&self)) }
        return values
    }

    /// Skips one value of the given wire type, including everything nested in it.
    mutating func skip(_ type: UInt8, depth: Int = 0) throws {
        guard depth < Self.maximumDepth else { throw failure("nested too deeply") }
        switch type {
        case ThriftCompactType.boolTrue, ThriftCompactType.boolFalse:
            return
        case ThriftCompactType.byte:
            _ = try readByte()
        case ThriftCompactType.i16, ThriftCompactType.i32, ThriftCompactType.i64:
            _ = try readVarint()
        case ThriftCompactType.double:
            guard remaining >= 8 else { throw failure("ends inside a double") }
            position += 8
        case ThriftCompactType.binary:
            _ = try readBinary()
        case ThriftCompactType.list, ThriftCompactType.set:
            let (count, elementType) = try readListHeader()
            for _ in 0..<count { try skipElement(elementType, depth: depth + 1) }
        case ThriftCompactType.map:
            let count = try readVarint()
            guard count > 0 else { return }
            guard count <= UInt64(remaining) else { throw failure("map of \(count) entries past the end") }
            let types = try readByte()
            for _ in 0..<count {
                try skipElement(types >> 4, depth: depth + 1)
                try skipElement(types & 0x0F, depth: depth + 1)
            }
        case ThriftCompactType.structure:
            try beginStruct()
            while let field = try nextField() { try skip(field.type, depth: depth + 1) }
        default:
            throw failure("unknown wire type \(type)")
        }
    }

    /// Inside lists and maps a boolean is a whole byte, unlike in a field header.
    private mutating func skipElement(_ type: UInt8, depth: Int) throws {
        if type == ThriftCompactType.boolTrue || type == ThriftCompactType.boolFalse {
            _ = try readByte()
        } else {
            try skip(type, depth: depth)
        }
    }
}
