/// Decodes DELTA_LENGTH_BYTE_ARRAY (lengths, then the bytes back to back) and DELTA_BYTE_ARRAY
/// (prefix lengths shared with the previous value, then the suffixes as DELTA_LENGTH_BYTE_ARRAY).
enum DeltaByteArrayDecoder {
    static func decodeLengthPrefixed(
        _ page: UnsafeRawBufferPointer, count: Int, fileOffset: Int64,
        into values: inout ParquetColumnValues
    ) throws {
        guard count > 0 else { return }
        var lengths: [Int64] = []
        var reader = DeltaBinaryPackedDecoder(page, from: 0, fileOffset: fileOffset)
        try reader.decode(expected: count, bits32: true, into: &lengths)
        var position = reader.position
        guard let base = page.baseAddress else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        for (index, length) in lengths.enumerated() {
            guard length >= 0, length <= Int64(page.count - position) else {
                throw DecodeFailure(
                    .corrupt, offset: fileOffset + Int64(position),
                    "value \(index) declares \(length) bytes, the page has \(page.count - position) left")
            }
            values.data.append(contentsOf: UnsafeBufferPointer(start: bytes + position, count: Int(length)))
            position += Int(length)
            values.offsets.append(values.data.count)
        }
    }

    static func decodeIncremental(
        _ page: UnsafeRawBufferPointer, count: Int, fileOffset: Int64,
        into values: inout ParquetColumnValues
    ) throws {
        guard count > 0 else { return }
        var prefixes: [Int64] = []
        var suffixes: [Int64] = []
        var reader = DeltaBinaryPackedDecoder(page, from: 0, fileOffset: fileOffset)
        try reader.decode(expected: count, bits32: true, into: &prefixes)
        try reader.decode(expected: count, bits32: true, into: &suffixes)
        var position = reader.position
        guard let base = page.baseAddress else { return }
        // Size the output first so prefixes can be copied from the buffer being written
        // without a copy-on-write of the whole column.
        let start = values.data.count
        var total = 0
        var previousLength = 0
        for index in 0..<count {
            let prefix = prefixes[index]
            let suffix = suffixes[index]
            guard prefix >= 0, prefix <= Int64(previousLength), suffix >= 0, suffix <= Int64(page.count) else {
                throw DecodeFailure(
                    .corrupt, offset: fileOffset,
                    "DELTA_BYTE_ARRAY value \(index): prefix \(prefix) of a \(previousLength)-byte value, suffix \(suffix)"
                )
            }
            previousLength = Int(prefix + suffix)
            total += previousLength
            guard total <= 1 << 30 else {
                throw DecodeFailure(.corrupt, offset: fileOffset, "DELTA_BYTE_ARRAY page expands past 1 GiB")
            }
            values.offsets.append(start + total)
        }
        let suffixBytes = suffixes.reduce(0, +)
        guard suffixBytes <= Int64(page.count - position) else {
            throw DecodeFailure(
                .corrupt, offset: fileOffset + Int64(position), "DELTA_BYTE_ARRAY suffixes run past the page")
        }
        values.data.append(contentsOf: repeatElement(0, count: total))
        values.data.withUnsafeMutableBufferPointer { output in
            guard let out = output.baseAddress else { return }
            var write = start
            var previousStart = start
            for index in 0..<count {
                let prefix = Int(prefixes[index])
                let suffix = Int(suffixes[index])
                (out + write).update(from: out + previousStart, count: prefix)
                (out + write + prefix).update(
                    from: (base + position).assumingMemoryBound(to: UInt8.self), count: suffix)
                position += suffix
                previousStart = write
                write += prefix + suffix
            }
        }
    }
}
