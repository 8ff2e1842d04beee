/// SplitMix64 (Steele, Lea & Flood 2014): one word of state, passes BigCrush, and cheap enough
/// to construct afresh for every draw, which is what makes per-task seeding affordable. Its
/// finaliser is also how every other seed in laclip is mixed (`SeededGenerator`'s state, the
/// trainer's batch seeds), so neighbouring inputs never give related streams.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    @inlinable
    public init(seed: UInt64) { state = seed }

    /// The SplitMix64 finaliser: a bijection of 64-bit words that spreads every input bit.
    @inlinable @inline(__always)
    public static func finalise(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.finalise(state)
    }

    /// A uniform integer in `0 ..< bound` without modulo bias (Lemire 2019: multiply, and
    /// reject the few low products that would over-represent some results).
    @inlinable @inline(__always)
    public mutating func next(below bound: Int) -> Int {
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
