/// A coarse reading of a column's logical/converted type: enough for a caller to tell text from
/// bytes from numbers without knowing Parquet's two annotation systems.
public enum ParquetLogicalKind: Sendable, Equatable {
    /// UTF-8 text (STRING/UTF8, ENUM, JSON).
    case string
    /// Bytes without a text annotation (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY, INT96).
    case binary
    case integer
    case floatingPoint
    case boolean
    /// Numbers carrying a meaning beyond their value: DECIMAL, DATE, TIME, TIMESTAMP, ...
    case annotatedNumber
    /// A group (struct, LIST, MAP) or a repeated field.
    case nested
}
