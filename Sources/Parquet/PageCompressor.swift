import CSnappy
import CZlib
import CZstd

/// Compresses page bodies for the writer, reusing its codec contexts across pages.
final class PageCompressor {
    let compression: ParquetCompression
    private var zstdContext: OpaquePointer?

    init(_ compression: ParquetCompression) {
        self.compression = compression
    }

    deinit {
        if let zstdContext { ZSTD_freeCCtx(zstdContext) }
    }

    /// Replaces `output` with the compressed form of `input`.
    func compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws {
        func failure(_ message: String) -> DecodeFailure {
            DecodeFailure(.io, offset: nil, "cannot compress a page: \(message)")
        }
        let count = input.count
        switch compression {
        case .none:
            output.removeAll(keepingCapacity: true)
            output.append(contentsOf: input)
        case .snappy:
            var length = snappy_max_compressed_length(count)
            output = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
                let status = snappy_compress(
                    input.baseAddress?.assumingMemoryBound(to: CChar.self), count,
                    UnsafeMutableRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self), &length)
                initialized = status == SNAPPY_OK ? length : 0
            }
            guard output.count == length else { throw failure("snappy failed") }
        case .gzip:
            var stream = z_stream()
            // 15 + 16: the largest window, with a gzip header as the format expects.
            guard
                deflateInit2_(
                    &stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                    zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
            else {
                throw failure("cannot initialise zlib")
            }
            defer { deflateEnd(&stream) }
            let bound = Int(deflateBound(&stream, uLong(count))) + 32
            var status: Int32 = Z_OK
            output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(count)
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(bound)
                status = deflate(&stream, Z_FINISH)
                initialized = status == Z_STREAM_END ? bound - Int(stream.avail_out) : 0
            }
            guard status == Z_STREAM_END else { throw failure("zlib status \(status)") }
        case .zstd:
            if zstdContext == nil { zstdContext = ZSTD_createCCtx() }
            guard let context = zstdContext else { throw failure("cannot create a zstd context") }
            let bound = ZSTD_compressBound(count)
            var result = 0
            output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
                result = ZSTD_compressCCtx(context, buffer.baseAddress, bound, input.baseAddress, count, 3)
                initialized = ZSTD_isError(result) == 0 ? result : 0
            }
            if ZSTD_isError(result) != 0 { throw failure("zstd: \(String(cString: ZSTD_getErrorName(result)))") }
        }
    }
}
