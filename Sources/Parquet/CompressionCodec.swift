/// parquet.thrift `CompressionCodec` values, with names for error messages.
enum CompressionCodec {
    static let uncompressed: Int32 = 0
    static let snappy: Int32 = 1
    static let gzip: Int32 = 2
    static let zstd: Int32 = 6

    static func name(_ value: Int32) -> String {
        switch value {
        case 0: return "UNCOMPRESSED"
        case 1: return "SNAPPY"
        case 2: return "GZIP"
        case 3: return "LZO"
        case 4: return "BROTLI"
        case 5: return "LZ4"
        case 6: return "ZSTD"
        case 7: return "LZ4_RAW"
        default: return "codec \(value)"
        }
    }

    static func isSupported(_ value: Int32) -> Bool {
        value == uncompressed || value == snappy || value == gzip || value == zstd
    }
}
