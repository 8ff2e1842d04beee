/// SplitMix64 (Steele, Lea & Flood 2014): tiny state, passes BigCrush, and cheap enough to
/// construct afresh for every draw, which is what makes per-task seeding affordable.
struct SeededGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// The seed of a draw: the job seed, the caption id and the style are each folded in
    /// through the SplitMix64 finaliser, so neighbouring caption ids or seeds give unrelated
    /// streams.
    init(jobSeed: UInt64, captionID: Int64, styleHash: UInt64) {
        let mixed = Self.finalise(Self.finalise(Self.finalise(jobSeed) ^ UInt64(bitPattern: captionID)) ^ styleHash)
        self.init(seed: mixed)
    }

    @inline(__always)
    static func finalise(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.finalise(state)
    }

    /// A uniform integer in `0 ..< bound` without modulo bias (Lemire 2019: multiply, and
    /// reject the few low products that would over-represent some results).
    @inline(__always)
    mutating func next(below bound: Int) -> Int {
        let n = UInt64(bound)
        var product = next().multipliedFullWidth(by: n)
        if product.low < n {
            let threshold = (0 &- n) % n
            while product.low < threshold {
                product = next().multipliedFullWidth(by: n)
            }
        }
        return Int(product.high)
    }
}

/// FNV-1a over UTF-8: a stable, platform-independent hash of a style name (Swift's `Hasher`
/// is randomly seeded per process, which would break reproducibility across runs).
func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01B3
    }
    return hash
}
