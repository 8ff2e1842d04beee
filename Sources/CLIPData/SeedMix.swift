/// Combines values into one seed (SplitMix64-style finaliser after each word).
/// Public and here, below both, because the batch schedule (CLIP) and the synthetic data
/// (Synth) derive their per-sample generators with it.
public func mix(_ values: UInt64...) -> UInt64 {
    var h: UInt64 = 0x243F_6A88_85A3_08D3
    for value in values {
        h ^= value &+ 0x9E37_79B9_7F4A_7C15 &+ (h << 6) &+ (h >> 2)
        h = (h ^ (h >> 30)) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 31
    }
    return h
}
