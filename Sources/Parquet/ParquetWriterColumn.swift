/// A column `ParquetFileWriter` writes (always a flat top-level field).
public struct ParquetWriterColumn: Sendable, Equatable {
    public enum ValueType: Sendable, Equatable {
        /// BYTE_ARRAY annotated as UTF-8 STRING.
        case string
        case int64
        case double
    }

    public var name: String
    public var type: ValueType
    public var nullable: Bool

    public init(name: String, type: ValueType, nullable: Bool) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}
