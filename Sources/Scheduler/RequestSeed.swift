import Seeding

/// The seed of one sample: fixed by (job seed, task, sample number), so a rerun asks the
/// server for the same sample, and a re-sample after a rejected completion asks for another.
enum RequestSeed {
    static func make(jobSeed: UInt64, caption: Int64, style: Int, sample: Int) -> UInt32 {
        var z = jobSeed ^ 0x5851_f42d_4c95_7f2d
        for part in [UInt64(bitPattern: caption), UInt64(style), UInt64(sample)] {
            z = mix(z ^ part)
        }
        return UInt32(truncatingIfNeeded: z >> 32)
    }

    private static func mix(_ x: UInt64) -> UInt64 {
        SplitMix64.finalise(x &+ 0x9e37_79b9_7f4a_7c15)
    }
}
