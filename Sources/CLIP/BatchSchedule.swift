import CLIPData
import Seeding
import Tensor

/// Which samples make up each step's batch, and the random streams each sample uses.
///
/// Everything is a pure function of (seed, step): epoch e visits the samples in a permutation
/// drawn from (seed, e), drops the last partial batch, and each sample slot gets its own
/// generator from (seed, step, slot). So the loader's whole state is the step number, a
/// resumed run sees exactly the batches the uninterrupted run would have, and prefetching on
/// another thread cannot change what is drawn.
public struct BatchSchedule: Sendable, Equatable {
    public let sampleCount: Int
    public let batchSize: Int
    public let seed: UInt64

    public init(sampleCount: Int, batchSize: Int, seed: UInt64) throws(DataError) {
        guard batchSize >= 2 else {
            throw DataError(
                description: "batch size \(batchSize): contrastive training needs at least 2 pairs per batch")
        }
        guard sampleCount >= batchSize else {
            throw DataError(description: "\(sampleCount) usable samples cannot fill one batch of \(batchSize)")
        }
        self.sampleCount = sampleCount
        self.batchSize = batchSize
        self.seed = seed
    }

    public var stepsPerEpoch: Int { sampleCount / batchSize }

    public func epoch(ofStep step: Int) -> Int { step / stepsPerEpoch }

    public func permutation(epoch: Int) -> [Int] {
        var generator = SeededGenerator(seed: mix(seed, 0x5EED_E90C, UInt64(epoch)))
        var order = Array(0..<sampleCount)
        // Fisher–Yates with the generator's own bits (not Swift's shuffle, whose algorithm is
        // not promised to stay the same across releases).
        for i in stride(from: sampleCount - 1, to: 0, by: -1) {
            let j = Int(generator.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return order
    }

    /// Sample indices of `step`, given the permutation of its epoch.
    public func indices(step: Int, permutation: [Int]) -> ArraySlice<Int> {
        let start = (step % stepsPerEpoch) * batchSize
        return permutation[start..<(start + batchSize)]
    }

    public func sampleGenerator(step: Int, slot: Int) -> SeededGenerator {
        SeededGenerator(seed: mix(seed, UInt64(step), UInt64(slot)))
    }
}
