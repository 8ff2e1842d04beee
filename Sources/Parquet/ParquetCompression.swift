/// The page compression `ParquetFileWriter` applies.
public enum ParquetCompression: Sendable, Equatable, CaseIterable {
    case none, snappy, gzip, zstd

    var codec: Int32 {
        switch self {
        case .none: return CompressionCodec.uncompressed
        case .snappy: return CompressionCodec.snappy
        case .gzip: return CompressionCodec.gzip
        case .zstd: return CompressionCodec.zstd
        }
    }
}
