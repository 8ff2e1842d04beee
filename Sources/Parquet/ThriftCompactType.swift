/// Wire type nibbles of the Thrift compact protocol.
enum ThriftCompactType {
    static let stop: UInt8 = 0
    static let boolTrue: UInt8 = 1
    static let boolFalse: UInt8 = 2
    static let byte: UInt8 = 3
    static let i16: UInt8 = 4
    static let i32: UInt8 = 5
    static let i64: UInt8 = 6
    static let double: UInt8 = 7
    static let binary: UInt8 = 8
    static let list: UInt8 = 9
    static let set: UInt8 = 10
    static let map: UInt8 = 11
    static let structure: UInt8 = 12
}
