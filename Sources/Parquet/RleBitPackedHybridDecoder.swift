/// Decodes the RLE/bit-packed hybrid used for levels, dictionary indices and RLE booleans.
struct RleBitPackedHybridDecoder {
    private let buffer: UnsafeRawBufferPointer
    private(set) var position: Int
    private let bitWidth: Int
    /// The file offset of `buffer[0]`, for failures.
    private let fileOffset: Int64

    init(_ buffer: UnsafeRawBufferPointer, bitWidth: Int, fileOffset: Int64) throws {
        guard (0...32).contains(bitWidth) else {
            throw DecodeFailure(.corrupt, offset: fileOffset, "RLE bit width \(bitWidth) is not in 0...32")
        }
        self.buffer = buffer
        self.position = 0
        self.bitWidth = bitWidth
        self.fileOffset = fileOffset
    }

    private func failure(_ message: String) -> DecodeFailure {
        DecodeFailure(.corrupt, offset: fileOffset + Int64(position), "bad RLE data: \(message)")
    }

    private mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < buffer.count else { throw failure("ends inside a run header") }
            let byte = buffer[position]
            position += 1
            guard shift < 64 else { throw failure("run header longer than 10 bytes") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// Fills `out[0..<count]`; throws when the runs end early or hold values wider than the width.
    mutating func decode(count: Int, into out: UnsafeMutablePointer<UInt32>) throws {
        guard let base = buffer.baseAddress else {
            if count > 0 { throw failure("no data for \(count) values") }
            return
        }
        let valueBytes = (bitWidth + 7) / 8
        var produced = 0
        while produced < count {
            let header = try readVarint()
            if header & 1 == 0 {
                let run = header >> 1
                guard run > 0 else { throw failure("empty RLE run") }
                guard buffer.count - position >= valueBytes else { throw failure("ends inside a run value") }
                var value: UInt32 = 0
                for index in 0..<valueBytes { value |= UInt32(buffer[position + index]) << (8 * UInt32(index)) }
                position += valueBytes
                guard bitWidth == 32 || value >> UInt32(bitWidth) == 0 else {
                    throw failure("run value \(value) wider than \(bitWidth) bits")
                }
                let take = Int(min(run, UInt64(count - produced)))
                (out + produced).update(repeating: value, count: take)
                produced += take
            } else {
                let groups = header >> 1
                guard groups > 0, groups <= UInt64(buffer.count) else {
                    throw failure("bit-packed run of \(groups) groups")
                }
                let values = Int(groups) * 8
                let take = min(values, count - produced)
                let declaredBytes = Int(groups) * bitWidth
                // Writers pad the last group; only the bytes holding values that are used must exist.
                let neededBytes = (take * bitWidth + 7) / 8
                let available = buffer.count - position
                guard neededBytes <= available else { throw failure("bit-packed run past the end of its data") }
                BitUnpacking.unpack32(base + position, available, width: bitWidth, count: take, into: out + produced)
                position += min(declaredBytes, available)
                produced += take
            }
        }
    }
}
