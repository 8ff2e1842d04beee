import Seeding

/// Picks the demonstrations of a prompt, deterministically from (job seed, caption id, style).
///
/// Pair files: `count` distinct pairs, uniformly over ordered selections. Group files (COCO):
/// `count` distinct groups, uniformly, then within each group an input caption uniformly and
/// an output caption uniformly among the others, so a caption is never paired with itself.
public enum DemonstrationSampler {
    /// Deterministic in (jobSeed, captionID, style name); the generator is SplitMix64 seeded by
    /// folding the three through its finaliser (FNV-1a of the name, hashed once per source).
    /// Precondition: `1 <= count <= source.unitCount` and `count <= DemonstrationDraw.maximumCount`.
    public static func draw(from source: MetaPairSource, jobSeed: UInt64, captionID: Int64, count: Int = 3)
        -> DemonstrationDraw
    {
        precondition(
            count >= 1 && count <= DemonstrationDraw.maximumCount,
            "a draw holds 1...\(DemonstrationDraw.maximumCount) demonstrations")
        precondition(
            count <= source.unitCount, "source '\(source.name)' has \(source.unitCount) units, fewer than \(count)")
        precondition(
            source.demonstrationCount - 1 <= DemonstrationDraw.maximumID(count: count),
            "source '\(source.name)' has too many demonstrations for a draw of \(count)")
        var generator = SplitMix64(jobSeed: jobSeed, captionID: captionID, styleHash: source.styleHash)
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * DemonstrationDraw.maximumCount) { storage in
            let chosen = UnsafeMutableBufferPointer(rebasing: storage[0..<DemonstrationDraw.maximumCount])
            let sorted = UnsafeMutableBufferPointer(rebasing: storage[DemonstrationDraw.maximumCount...])
            pickDistinct(count, of: source.unitCount, into: chosen, scratch: sorted, using: &generator)
            if source.layout == .groups {
                for index in 0..<count {
                    let group = chosen[index]
                    let size = source.groupSizes[group]
                    let input = generator.next(below: size)
                    let outputRank = generator.next(below: size - 1)
                    chosen[index] = source.groupDemonstrationID(group: group, inputIndex: input, outputRank: outputRank)
                }
            }
            return DemonstrationDraw(trustedIDs: chosen, count: count)
        }
    }

    /// Writes `count` distinct values of `0 ..< total` into `chosen`, uniformly over ordered
    /// selections: the j-th pick is uniform among the `total - j` values not yet taken, found
    /// by stepping over the taken ones in ascending order. No rejection loop, so the cost is
    /// fixed however small `total` is.
    @inline(__always)
    static func pickDistinct(
        _ count: Int, of total: Int, into chosen: UnsafeMutableBufferPointer<Int>,
        scratch sorted: UnsafeMutableBufferPointer<Int>, using generator: inout SplitMix64
    ) {
        for picked in 0..<count {
            var value = generator.next(below: total - picked)
            var position = 0
            while position < picked, sorted[position] <= value {
                value += 1
                position += 1
            }
            var move = picked
            while move > position {
                sorted[move] = sorted[move - 1]
                move -= 1
            }
            sorted[position] = value
            chosen[picked] = value
        }
    }
}
