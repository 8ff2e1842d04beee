import CLIPData
import Foundation
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
/// The thread keeps up to `depth` batches ready, built in step order from `startStep`; `next()`
/// hands them out in that order. Batch contents depend only on the step (see `BatchSchedule`),
/// so prefetching never changes results. The thread ends on `stop()` or when the loader is
/// released.
public final class PrefetchingBatchLoader: Sendable {
    private let pipeline: Pipeline

    public init(builder: BatchBuilder, startStep: Int, depth: Int = 2) {
        pipeline = Pipeline(builder: builder, startStep: startStep, depth: max(depth, 1))
        let pipeline = self.pipeline
        let thread = Thread { pipeline.run() }
        thread.name = "clip-batch-prefetch"
        thread.start()
    }

    deinit { pipeline.stop() }

    /// The step whose batch `next()` returns.
    public var position: Int { pipeline.position }

    public func next() throws -> TrainingBatch { try pipeline.next() }

    /// Ends the background thread (it finishes the batch it is building first).
    public func stop() { pipeline.stop() }

    /// State shared with the background thread, which holds it (not the loader) so that
    /// releasing the loader can stop the thread.
    private final class Pipeline: @unchecked Sendable {
        let builder: BatchBuilder
        let depth: Int
        let condition = NSCondition()
        // Guarded by `condition`.
        var ready: [Int: Result<TrainingBatch, any Error>] = [:]
        var nextToBuild: Int
        var nextToHand: Int
        var stopped = false

        init(builder: BatchBuilder, startStep: Int, depth: Int) {
            self.builder = builder
            self.depth = depth
            nextToBuild = startStep
            nextToHand = startStep
        }

        var position: Int {
            condition.lock(); defer { condition.unlock() }
            return nextToHand
        }

        func next() throws -> TrainingBatch {
            condition.lock()
            defer { condition.unlock() }
            while ready[nextToHand] == nil { condition.wait() }
            let result = ready.removeValue(forKey: nextToHand)!
            nextToHand += 1
            condition.broadcast()
            return try result.get()
        }

        func stop() {
            condition.lock()
            stopped = true
            condition.broadcast()
            condition.unlock()
        }

        func run() {
            var permutationEpoch = -1
            var permutation: [Int] = []
            while true {
                condition.lock()
                while !stopped && nextToBuild - nextToHand >= depth { condition.wait() }
                if stopped { condition.unlock(); return }
                let step = nextToBuild
                condition.unlock()

                let epoch = builder.schedule.epoch(ofStep: step)
                if epoch != permutationEpoch {
                    permutation = builder.schedule.permutation(epoch: epoch)
                    permutationEpoch = epoch
                }
                let result = Result { try builder.batch(step: step, permutation: permutation) }

                condition.lock()
                ready[step] = result
                nextToBuild += 1
                condition.broadcast()
                condition.unlock()
            }
        }
    }
}
