/// Decodes DELTA_BINARY_PACKED: a header, then blocks of a minimum delta, one bit width per
/// miniblock, and the miniblocks (which are only present while values remain).
struct DeltaBinaryPackedDecoder {
    private let buffer: UnsafeRawBufferPointer
    private(set) var position: Int
    private let fileOffset: Int64

    init(_ buffer: UnsafeRawBufferPointer, from start: Int, fileOffset: Int64) {
        self.buffer = buffer
        self.position = start
        self.fileOffset = fileOffset
    }

    private func failure(_ message: String) -> DecodeFailure {
        DecodeFailure(.corrupt, offset: fileOffset + Int64(position), "bad DELTA_BINARY_PACKED data: \(message)")
    }

    private mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < buffer.count else { throw failure("ends inside a varint") }
            let byte = buffer[position]
            position += 1
            guard shift < 64 else { throw failure("varint longer than 10 bytes") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    private mutating func readZigZag() throws -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// Appends exactly `expected` values to `out` (the stream must declare that many) and
    /// leaves `position` just after the stream. `bits32` makes the running sum wrap at 32 bits,
    /// as INT32 writers compute it.
    mutating func decode(expected: Int, bits32: Bool, into out: inout [Int64]) throws {
        let blockSize = try readVarint()
        let miniblockCount = try readVarint()
        let total = try readVarint()
        var value = try readZigZag()
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= 1 << 20,
            miniblockCount > 0, miniblockCount <= blockSize, blockSize % miniblockCount == 0,
            (blockSize / miniblockCount) % 32 == 0
        else {
            throw failure("block size \(blockSize) with \(miniblockCount) miniblocks")
        }
        guard total == UInt64(expected) else {
            throw failure("declares \(total) values where the page holds \(expected)")
        }
        guard expected > 0 else { return }
        guard let base = buffer.baseAddress else { throw failure("no data") }
        let perMiniblock = Int(blockSize / miniblockCount)
        out.append(bits32 ? Int64(Int32(truncatingIfNeeded: value)) : value)
        var remaining = expected - 1
        while remaining > 0 {
            let minDelta = try readZigZag()
            let widthsStart = position
            guard buffer.count - position >= Int(miniblockCount) else { throw failure("ends inside the bit widths") }
            position += Int(miniblockCount)
            for miniblock in 0..<Int(miniblockCount) where remaining > 0 {
                let width = Int(buffer[widthsStart + miniblock])
                guard width <= (bits32 ? 32 : 64) else { throw failure("miniblock bit width \(width)") }
                let bytes = perMiniblock * width / 8
                let take = min(perMiniblock, remaining)
                let available = buffer.count - position
                guard (take * width + 7) / 8 <= available else { throw failure("miniblock past the end of the page") }
                let start = base + position
                for index in 0..<take {
                    let delta = BitUnpacking.bits(start, available, bit: index * width, width: width)
                    value = value &+ minDelta &+ Int64(bitPattern: delta)
                    if bits32 { value = Int64(Int32(truncatingIfNeeded: value)) }
                    out.append(value)
                }
                position += min(bytes, available)
                remaining -= take
            }
        }
    }
}
