import CLIPData
import Foundation
import Prefetch
import Synchronization
import Tensor

/// Builds training batches: decodes each drawn image, random-resized-crops it to the model
/// resolution, normalises it, chooses the caption by the LaCLIP rule and tokenises it.
public struct BatchBuilder: Sendable {
    public let dataset: LaCLIPDataset
    public let tokenizer: Tokenizer
    public let schedule: BatchSchedule
    public let resolution: Int
    public let contextLength: Int
    /// false: vanilla CLIP on the original captions.
    public let augmentText: Bool

    public init(
        dataset: LaCLIPDataset, tokenizer: Tokenizer, schedule: BatchSchedule, resolution: Int, contextLength: Int,
        augmentText: Bool
    ) {
        self.dataset = dataset
        self.tokenizer = tokenizer
        self.schedule = schedule
        self.resolution = resolution
        self.contextLength = contextLength
        self.augmentText = augmentText
    }

    public func batch(step: Int, permutation: [Int]? = nil) throws -> TrainingBatch {
        let order = permutation ?? schedule.permutation(epoch: schedule.epoch(ofStep: step))
        let indices = Array(schedule.indices(step: step, permutation: order))
        let imageValues = 3 * resolution * resolution
        var pixels = [Float](repeating: 0, count: indices.count * imageValues)
        var encoded: [[Int32]] = []
        var choices: [Int] = []
        for (slot, index) in indices.enumerated() {
            let sample = dataset.samples[index]
            var generator = schedule.sampleGenerator(step: step, slot: slot)
            let choice = CaptionChoice.choose(sample.captions, augment: augmentText, generator: &generator)
            choices.append(choice)
            encoded.append(tokenizer.encode(sample.captions[choice], contextLength: contextLength))
            let image = try RGBImage(contentsOf: sample.image)
            let crop = ImageTransform.randomResizedCrop(width: image.width, height: image.height, generator: &generator)
            pixels.withUnsafeMutableBufferPointer { buffer in
                ImageTransform.resample(
                    image, crop: crop, resolution: resolution, into: buffer.baseAddress! + slot * imageValues)
            }
        }
        return TrainingBatch(
            step: step, images: ImageBatch(count: indices.count, resolution: resolution, pixels: pixels),
            tokens: TokenBatch(encoded: encoded, contextLength: contextLength), sampleIndices: indices,
            captionChoices: choices)
    }
}

/// Prefetches batches on a background thread so that decoding overlaps the training step.
///
/// Up to `depth` batches are kept ready, built in step order from `startStep`; `next()` hands
/// them out in that order. Batch contents depend only on the step (see `BatchSchedule`), so
/// prefetching never changes results. The thread ends on `stop()` or when the loader is
/// released.
public final class PrefetchingBatchLoader: Sendable {
    private let prefetcher: Prefetcher<TrainingBatch>
    private let handed = Mutex(0)
    private let startStep: Int

    public init(builder: BatchBuilder, startStep: Int, depth: Int = 2) {
        self.startStep = startStep
        let order = EpochOrder(schedule: builder.schedule)
        // The default thread stack of the platform (8 MB), as the decoders were written for.
        prefetcher = Prefetcher(depth: max(depth, 1), name: "clip-batch-prefetch", stackSize: 8 << 20) { index in
            let step = startStep + index
            return try builder.batch(step: step, permutation: order.permutation(forStep: step))
        }
    }

    /// The step whose batch `next()` returns.
    public var position: Int { startStep + handed.withLock { $0 } }

    public func next() throws -> TrainingBatch {
        guard let batch = try prefetcher.next() else { preconditionFailure("the batch stream has no end") }
        handed.withLock { $0 += 1 }
        return batch
    }

    /// Ends the background thread (it finishes the batch it is building first).
    public func stop() { prefetcher.cancel() }
}

/// The shuffled sample order of the epoch being built, kept so that consecutive steps of one
/// epoch do not each recompute its permutation. Only the building thread calls it.
private final class EpochOrder: Sendable {
    private let schedule: BatchSchedule
    private let cached = Mutex<(epoch: Int, permutation: [Int])>((-1, []))

    init(schedule: BatchSchedule) { self.schedule = schedule }

    func permutation(forStep step: Int) -> [Int] {
        let epoch = schedule.epoch(ofStep: step)
        return cached.withLock { cached in
            if cached.epoch != epoch { cached = (epoch, schedule.permutation(epoch: epoch)) }
            return cached.permutation
        }
    }
}
