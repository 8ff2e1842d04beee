/// Combines values into one seed, running the SplitMix64 finaliser after each word, so seeds
/// derived from neighbouring tuples (epoch, step, sample) give unrelated streams. The batch
/// schedule, the image augmentation and the synthetic data derive their generators with it.
@inlinable
public func mix(_ values: UInt64...) -> UInt64 {
    var h: UInt64 = 0x243F_6A88_85A3_08D3
    for value in values {
        h ^= value &+ 0x9E37_79B9_7F4A_7C15 &+ (h << 6) &+ (h >> 2)
        h = SplitMix64.finalise(h)
    }
    return h
}
