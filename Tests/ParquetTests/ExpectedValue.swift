import Foundation
import Parquet

/// A cell as an oracle reports it and as the reader returned it, compared exactly.
enum ExpectedValue: Sendable, Equatable, CustomStringConvertible {
    case null
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case bytes([UInt8])

    /// Parses a manifest cell: numbers, booleans, or base64 of the bytes.
    static func parse(_ json: Any, as kind: ParquetPhysicalType) -> ExpectedValue {
        if json is NSNull { return .null }
        switch kind {
        case .int32, .int64: return (json as? NSNumber).map { .int($0.int64Value) } ?? .null
        case .float, .double: return (json as? NSNumber).map { .double($0.doubleValue) } ?? .null
        case .boolean: return (json as? NSNumber).map { .bool($0.boolValue) } ?? .null
        default:
            guard let text = json as? String, let data = Data(base64Encoded: text) else { return .null }
            return .bytes([UInt8](data))
        }
    }

    /// What the reader holds in `row`.
    static func of(_ values: ParquetColumnValues, _ row: Int) -> ExpectedValue {
        if values.isNull(row) { return .null }
        if let value = values.int64(row) { return .int(value) }
        if let value = values.double(row) { return .double(value) }
        if let value = values.bool(row) { return .bool(value) }
        if let value = values.bytes(row) { return .bytes(Array(value)) }
        return .null
    }

    var description: String {
        switch self {
        case .null: return "null"
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .bool(let value): return String(value)
        case .bytes(let value): return "bytes(\(String(decoding: value, as: UTF8.self).debugDescription))"
        }
    }
}
