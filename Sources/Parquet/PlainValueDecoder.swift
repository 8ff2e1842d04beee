/// Decodes PLAIN-encoded values (data pages and dictionary pages), appending them densely.
enum PlainValueDecoder {
    /// Appends `count` values and returns how many bytes of `page` they took.
    @discardableResult
    static func decode(
        _ page: UnsafeRawBufferPointer, count: Int, typeLength: Int, fileOffset: Int64,
        into values: inout ParquetColumnValues
    ) throws -> Int {
        func shortPage(_ needed: Int) -> DecodeFailure {
            DecodeFailure(
                .corrupt, offset: fileOffset,
                "page holds \(page.count) value bytes, \(count) PLAIN \(values.physicalType) values need \(needed)")
        }
        guard count > 0 else { return 0 }
        guard let base = page.baseAddress else { throw shortPage(1) }
        switch values.physicalType {
        case .boolean:
            let needed = (count + 7) / 8
            guard page.count >= needed else { throw shortPage(needed) }
            for index in 0..<count {
                values.booleans.append(page[index >> 3] >> UInt8(index & 7) & 1 == 1)
            }
            return needed
        case .int32:
            guard page.count >= count * 4 else { throw shortPage(count * 4) }
            for index in 0..<count {
                values.integers.append(
                    Int64(Int32(littleEndian: base.loadUnaligned(fromByteOffset: index * 4, as: Int32.self))))
            }
            return count * 4
        case .int64:
            guard page.count >= count * 8 else { throw shortPage(count * 8) }
            for index in 0..<count {
                values.integers.append(
                    Int64(littleEndian: base.loadUnaligned(fromByteOffset: index * 8, as: Int64.self)))
            }
            return count * 8
        case .float:
            guard page.count >= count * 4 else { throw shortPage(count * 4) }
            for index in 0..<count {
                let bits = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
                values.doubles.append(Double(Float(bitPattern: bits)))
            }
            return count * 4
        case .double:
            guard page.count >= count * 8 else { throw shortPage(count * 8) }
            for index in 0..<count {
                let bits = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
                values.doubles.append(Double(bitPattern: bits))
            }
            return count * 8
        case .int96, .fixedLenByteArray:
            let width = values.physicalType == .int96 ? 12 : typeLength
            let (needed, overflow) = count.multipliedReportingOverflow(by: width)
            guard !overflow, page.count >= needed else { throw shortPage(needed) }
            values.data.append(
                contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: needed))
            var end = values.offsets[values.offsets.count - 1]
            for _ in 0..<count {
                end += width
                values.offsets.append(end)
            }
            return needed
        case .byteArray:
            // Four length bytes per value at least: a larger count is a lie to refuse before looping.
            guard count <= page.count / 4 else { throw shortPage(count * 4) }
            let bytes = base.assumingMemoryBound(to: UInt8.self)
            var position = 0
            for index in 0..<count {
                guard page.count - position >= 4 else {
                    throw DecodeFailure(
                        .corrupt, offset: fileOffset + Int64(position),
                        "page ends inside the length of value \(index) of \(count)")
                }
                let length = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                position += 4
                guard length <= page.count - position else {
                    throw DecodeFailure(
                        .corrupt, offset: fileOffset + Int64(position - 4),
                        "value \(index) declares \(length) bytes, the page has \(page.count - position) left")
                }
                values.data.append(contentsOf: UnsafeBufferPointer(start: bytes + position, count: length))
                position += length
                values.offsets.append(values.data.count)
            }
            return position
        }
    }

    /// BYTE_STREAM_SPLIT: byte `j` of value `k` is at `j * count + k`.
    static func decodeByteStreamSplit(
        _ page: UnsafeRawBufferPointer, count: Int, fileOffset: Int64,
        into values: inout ParquetColumnValues
    ) throws {
        let width: Int
        switch values.physicalType {
        case .int32, .float: width = 4
        case .int64, .double: width = 8
        default:
            throw DecodeFailure(
                .unsupported, offset: fileOffset, "BYTE_STREAM_SPLIT for \(values.physicalType) is not supported")
        }
        guard page.count >= count * width else {
            throw DecodeFailure(.corrupt, offset: fileOffset, "BYTE_STREAM_SPLIT page too short for \(count) values")
        }
        for index in 0..<count {
            var raw: UInt64 = 0
            for byte in 0..<width { raw |= UInt64(page[byte * count + index]) << (8 * UInt64(byte)) }
            switch values.physicalType {
            case .int32: values.integers.append(Int64(Int32(truncatingIfNeeded: raw)))
            case .int64: values.integers.append(Int64(bitPattern: raw))
            case .float: values.doubles.append(Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw))))
            default: values.doubles.append(Double(bitPattern: raw))
            }
        }
    }
}
