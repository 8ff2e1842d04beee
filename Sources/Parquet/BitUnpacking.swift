/// Reading little-endian, least-significant-bit-first packed integers, the bit order shared by
/// the RLE/bit-packed hybrid and DELTA_BINARY_PACKED miniblocks.
enum BitUnpacking {
    /// Eight bytes from `base + index`, zero-filled past `available` (so the tail of a buffer
    /// can be read with the same code as its middle).
    @inline(__always)
    static func load64(_ base: UnsafeRawPointer, _ index: Int, _ available: Int) -> UInt64 {
        if index + 8 <= available {
            return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
        }
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var at = index
        while at < available && shift < 64 {
            value |= UInt64(base.load(fromByteOffset: at, as: UInt8.self)) << shift
            at += 1
            shift += 8
        }
        return value
    }

    /// `width` bits (0...64) starting at bit `bit` of `base`.
    @inline(__always)
    static func bits(_ base: UnsafeRawPointer, _ available: Int, bit: Int, width: Int) -> UInt64 {
        if width == 0 { return 0 }
        let shift = UInt64(bit & 7)
        let low = load64(base, bit >> 3, available) >> shift
        let mask: UInt64 = width == 64 ? .max : (1 << UInt64(width)) - 1
        if Int(shift) + width <= 64 { return low & mask }
        let high = load64(base, (bit >> 3) + 8, available) << (64 - shift)
        return (low | high) & mask
    }

    /// Unpacks `count` values of `width` (≤ 32) bits into `out`.
    static func unpack32(
        _ base: UnsafeRawPointer, _ available: Int, width: Int, count: Int,
        into out: UnsafeMutablePointer<UInt32>
    ) {
        guard width > 0 else {
            out.update(repeating: 0, count: count)
            return
        }
        let mask: UInt64 = (1 << UInt64(width)) - 1
        var bit = 0
        for index in 0..<count {
            // width ≤ 32 and a shift ≤ 7 always fit in one 64-bit load.
            out[index] = UInt32(truncatingIfNeeded: (load64(base, bit >> 3, available) >> UInt64(bit & 7)) & mask)
            bit += width
        }
    }
}
