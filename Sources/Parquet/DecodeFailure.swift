/// What the low-level decoders throw: they know the byte offset but not the file or column,
/// which `ParquetFileReader` adds when it turns this into a `ParquetError`.
struct DecodeFailure: Error {
    var kind: ParquetError.Kind
    var offset: Int64?
    var message: String

    init(_ kind: ParquetError.Kind, offset: Int64?, _ message: String) {
        self.kind = kind
        self.offset = offset
        self.message = message
    }

    func parquetError(file: String, column: String?) -> ParquetError {
        ParquetError(kind, file: file, offset: offset, column: column, message)
    }
}
