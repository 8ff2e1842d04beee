/// A 128-bit fingerprint of a caption after whitespace normalisation, for dedup. Two
/// independent 64-bit hashes keep the collision odds near 2^-100 at dataset scale while a
/// million keys fit in ~40 MB (the captions themselves would not).
struct CaptionKey: Hashable {
    let a: UInt64
    let b: UInt64

    init(_ caption: String) {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x9e37_79b9_7f4a_7c15
        var pendingSpace = false
        var started = false
        func mix(_ byte: UInt8) {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = (b &+ UInt64(byte)) &* 0xff51_afd7_ed55_8ccd
            b ^= b >> 29
        }
        for byte in caption.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d || byte == 0x0b || byte == 0x0c {
                pendingSpace = started
                continue
            }
            if pendingSpace { mix(0x20); pendingSpace = false }
            started = true
            mix(byte)
        }
        self.a = a
        self.b = b
    }
}
