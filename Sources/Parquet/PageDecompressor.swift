import CSnappy
import CZlib
import CZstd

/// Decompresses page bodies with the C libraries, into a buffer of exactly the size the page
/// header declares (which is checked against what the codec can produce before allocating).
final class PageDecompressor {
    private var zstdContext: OpaquePointer?

    deinit {
        if let zstdContext { ZSTD_freeDCtx(zstdContext) }
    }

    /// The most bytes `compressed` bytes can expand to under `codec` (the formats' own limits,
    /// rounded up), so a lying page header cannot make us allocate gigabytes.
    static func maximumExpansion(codec: Int32, compressed: Int) -> Int {
        switch codec {
        case CompressionCodec.uncompressed: return compressed
        case CompressionCodec.snappy: return compressed * 32 + 64
        case CompressionCodec.gzip: return compressed * 1100 + 1024
        default: return min(compressed * 32_768 + (1 << 20), Int(Int32.max))
        }
    }

    /// Fills `output` (already `expected` bytes) from `input`; throws unless it is exactly filled.
    func decompress(
        codec: Int32, _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
        fileOffset: Int64
    ) throws {
        let expected = output.count
        func failure(_ reason: String) -> DecodeFailure {
            DecodeFailure(.corrupt, offset: fileOffset, "page does not decompress (\(reason))")
        }
        guard let source = input.baseAddress, input.count > 0 else {
            if expected == 0 { return }
            throw failure("\(CompressionCodec.name(codec)): no compressed bytes for \(expected) bytes")
        }
        guard let target = output.baseAddress else {
            throw failure("\(CompressionCodec.name(codec)): \(input.count) compressed bytes for an empty page")
        }
        switch codec {
        case CompressionCodec.snappy:
            let chars = source.assumingMemoryBound(to: CChar.self)
            var length = 0
            guard snappy_uncompressed_length(chars, input.count, &length) == SNAPPY_OK else {
                throw failure("snappy: bad length header")
            }
            guard length == expected else {
                throw failure("snappy: holds \(length) bytes, page header says \(expected)")
            }
            guard
                snappy_uncompress(chars, input.count, target.assumingMemoryBound(to: CChar.self), &length) == SNAPPY_OK,
                length == expected
            else {
                throw failure("snappy: invalid compressed data")
            }
        case CompressionCodec.gzip:
            try inflateGzip(source, input.count, target, expected, failure)
        case CompressionCodec.zstd:
            if zstdContext == nil { zstdContext = ZSTD_createDCtx() }
            guard let context = zstdContext else { throw failure("zstd: cannot create a context") }
            let produced = ZSTD_decompressDCtx(context, target, expected, source, input.count)
            if ZSTD_isError(produced) != 0 {
                throw failure("zstd: \(String(cString: ZSTD_getErrorName(produced)))")
            }
            guard produced == expected else {
                throw failure("zstd: gave \(produced) bytes, page header says \(expected)")
            }
        default:
            throw DecodeFailure(
                .unsupported, offset: fileOffset, "compression codec \(CompressionCodec.name(codec)) is not supported")
        }
    }

    /// Inflates one or more concatenated gzip (or zlib) members, as some writers emit several.
    private func inflateGzip(
        _ source: UnsafeRawPointer, _ sourceCount: Int, _ target: UnsafeMutableRawPointer,
        _ expected: Int, _ failure: (String) -> DecodeFailure
    ) throws {
        var stream = z_stream()
        // 15 + 32: the largest window, and detect the gzip or zlib header.
        guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw failure("gzip: cannot initialise zlib")
        }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: source.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(sourceCount)
        stream.next_out = target.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(expected)
        while true {
            let status = inflate(&stream, Z_FINISH)
            if status == Z_STREAM_END {
                if stream.avail_in > 0 && stream.avail_out > 0 {
                    guard inflateReset(&stream) == Z_OK else { throw failure("gzip: cannot reset zlib") }
                    continue
                }
                break
            }
            if status == Z_BUF_ERROR && stream.avail_out == 0 {
                throw failure("gzip: expands past the \(expected) bytes the page header says")
            }
            let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
            throw failure("gzip: \(message)")
        }
        guard stream.avail_out == 0 else {
            throw failure("gzip: gave \(expected - Int(stream.avail_out)) bytes, page header says \(expected)")
        }
    }
}
