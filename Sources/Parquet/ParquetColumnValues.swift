/// One column chunk's values, dense: one slot per row, nulls included. Byte arrays are one
/// contiguous buffer plus row offsets, so no String or Array is allocated per value.
public struct ParquetColumnValues: Sendable {
    public let name: String
    public let physicalType: ParquetPhysicalType
    public let logicalKind: ParquetLogicalKind
    public internal(set) var rowCount: Int = 0
    public internal(set) var nullCount: Int = 0

    /// One flag per row once a null was seen (`nullCount > 0`); empty while every row is present.
    var validity: [Bool] = []
    /// Byte-array (and fixed-length, INT96) columns: row `i` is `data[offsets[i]..<offsets[i+1]]`.
    var data: [UInt8] = []
    var offsets: [Int] = [0]
    /// INT32 and INT64 columns, widened; 0 in null rows.
    var integers: [Int64] = []
    /// FLOAT and DOUBLE columns; 0 in null rows.
    var doubles: [Double] = []
    var booleans: [Bool] = []

    init(name: String, physicalType: ParquetPhysicalType, logicalKind: ParquetLogicalKind) {
        self.name = name
        self.physicalType = physicalType
        self.logicalKind = logicalKind
    }

    enum Storage { case bytes, integers, doubles, booleans }

    var storage: Storage {
        switch physicalType {
        case .boolean: return .booleans
        case .int32, .int64: return .integers
        case .float, .double: return .doubles
        case .byteArray, .fixedLenByteArray, .int96: return .bytes
        }
    }

    public func isNull(_ row: Int) -> Bool {
        nullCount > 0 && !validity[row]
    }

    /// The bytes of a byte-array row (a view into the column's buffer), nil when null or not bytes.
    public func bytes(_ row: Int) -> ArraySlice<UInt8>? {
        guard storage == .bytes, !isNull(row) else { return nil }
        return data[offsets[row]..<offsets[row + 1]]
    }

    /// Calls `body` with the row's bytes without copying; nil when null or not a byte column.
    public func withBytes<R>(_ row: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard storage == .bytes, !isNull(row) else { return nil }
        let start = offsets[row]
        let end = offsets[row + 1]
        return try data.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }

    /// The row's bytes read as UTF-8 (invalid sequences replaced), nil when null or not bytes.
    public func string(_ row: Int) -> String? {
        withBytes(row) { String(decoding: $0, as: UTF8.self) }
    }

    public func int64(_ row: Int) -> Int64? {
        guard storage == .integers, !isNull(row) else { return nil }
        return integers[row]
    }

    public func double(_ row: Int) -> Double? {
        guard storage == .doubles, !isNull(row) else { return nil }
        return doubles[row]
    }

    public func bool(_ row: Int) -> Bool? {
        guard storage == .booleans, !isNull(row) else { return nil }
        return booleans[row]
    }

    /// The row as text: bytes as UTF-8, integers in decimal, and doubles holding a whole
    /// number as that integer (an id stored as 42.0 reads "42"), else Swift's shortest form.
    public func description(_ row: Int) -> String? {
        guard !isNull(row) else { return nil }
        switch storage {
        case .bytes: return string(row)
        case .integers: return String(integers[row])
        case .booleans: return booleans[row] ? "true" : "false"
        case .doubles:
            let value = doubles[row]
            if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
                return String(Int64(value))
            }
            return String(value)
        }
    }
}
