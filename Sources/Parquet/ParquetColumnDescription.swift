/// One top-level field of a file's schema.
public struct ParquetColumnDescription: Sendable, Equatable {
    public var name: String
    /// For a nested field, the type of its first leaf (rarely useful: check `isNested` first).
    public var physicalType: ParquetPhysicalType
    public var logicalKind: ParquetLogicalKind
    public var isNullable: Bool
    /// A group or a repeated field: `readRowGroup` refuses it.
    public var isNested: Bool
}
