import Seeding

extension SplitMix64 {
    /// The generator of one demonstration draw: the job seed, the caption id and the style are
    /// each folded in through the finaliser, so neighbouring caption ids or seeds give unrelated
    /// streams.
    @inline(__always)
    init(jobSeed: UInt64, captionID: Int64, styleHash: UInt64) {
        self.init(
            seed: Self.finalise(Self.finalise(Self.finalise(jobSeed) ^ UInt64(bitPattern: captionID)) ^ styleHash))
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
