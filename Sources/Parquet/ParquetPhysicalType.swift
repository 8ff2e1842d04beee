/// The storage type of a leaf column (parquet.thrift `Type`).
public enum ParquetPhysicalType: Int32, Sendable, Equatable, CaseIterable {
    case boolean = 0
    case int32 = 1
    case int64 = 2
    case int96 = 3
    case float = 4
    case double = 5
    case byteArray = 6
    case fixedLenByteArray = 7
}
