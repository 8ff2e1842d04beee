import Testing

@testable import Tensor

@Suite("Tape: buffer reuse, no-grad mode, accumulation, determinism")
struct TapeTests {
    struct Batch {
        let tokens: [Int32] = [1, 4, 9, 10, 0, 1, 7, 10, 0, 0, 1, 2, 3, 5, 10]
        let eot: [Int32] = [3, 2, 4]
        let pixels: [Float] = (0..<(3 * 3 * 6)).map { Float(($0 * 37) % 11) / 5 - 1 }
    }

    /// One training step; returns the loss.
    func trainStep(_ model: MiniCLIP, _ tape: Tape, _ optimizer: AdamW, _ batch: Batch) -> Float {
        tape.reset()
        zeroGradients(model.parameters)
        let pixels = tape.constant(shape: [3, model.patches, model.patchSize], values: batch.pixels)
        let loss = model.loss(tape, tokens: batch.tokens, eot: batch.eot, pixels: pixels)
        tape.backward(loss)
        clipGradientNorm(model.parameters, maxNorm: 1)
        optimizer.update(learningRate: 1e-2)
        return loss.item
    }

    @Test func trainingStepAllocatesNoStorageAfterTheFirst() {
        let model = MiniCLIP(seed: 3)
        let tape = Tape()
        let optimizer = AdamW(parameters: model.parameters, configuration: .init(weightDecay: 0.1))
        let batch = Batch()
        _ = trainStep(model, tape, optimizer, batch)
        let afterFirstStep = tape.arena.freshAllocations
        let bytesAfterFirstStep = tape.arena.bytesHeld
        #expect(afterFirstStep > 50)
        var losses: [Float] = []
        for _ in 0..<5 { losses.append(trainStep(model, tape, optimizer, batch)) }
        #expect(tape.arena.freshAllocations == afterFirstStep)
        #expect(tape.arena.bytesHeld == bytesAfterFirstStep)
        // The optimiser actually moved the model while reusing buffers.
        #expect(losses.last! < losses.first!)
        // Evaluation after training reuses the same pool too.
        tape.reset()
        tape.withoutRecording {
            let pixels = tape.constant(shape: [3, model.patches, model.patchSize], values: batch.pixels)
            _ = model.loss(tape, tokens: batch.tokens, eot: batch.eot, pixels: pixels)
        }
        #expect(tape.recordedOperations == 0)
        #expect(tape.arena.freshAllocations == afterFirstStep)
    }

    @Test func noGradientModeRecordsNothing() {
        let tape = Tape()
        let w = Tensor(parameter: [2, 2], values: [1, 2, 3, 4])
        let y = tape.withoutRecording { tape.matmul(w, w) }
        #expect(!y.requiresGrad)
        #expect(tape.recordedOperations == 0)
        #expect(y.scalars == [7, 10, 15, 22])
        let z = tape.matmul(w, w)
        #expect(z.requiresGrad)
        #expect(tape.recordedOperations == 1)
    }

    @Test func resetInvalidatesActivationsButNotParameters() {
        let tape = Tape()
        let w = Tensor(parameter: [2], values: [1, 2])
        let y = tape.scale(w, by: 2)
        #expect(y.isAlive)
        tape.reset()
        #expect(!y.isAlive)
        #expect(w.isAlive)
        #expect(w.scalars == [1, 2])
    }

    @Test func gradientsAccumulateOverUsesAndAcrossBackwardCalls() {
        let w = Tensor(parameter: [3], values: [1, -2, 3])
        let tape = Tape()
        // L = mean(w·w + w) → dL/dw = (2w + 1)/3
        tape.backward(tape.mean(tape.add(tape.multiply(w, w), w)))
        let third: Float = 1 / 3
        #expect(w.gradient == [1, -1, 7 * third])
        tape.reset()
        tape.backward(tape.mean(w))
        let expected: [Float] = [1 + third, -1 + third, 7 * third + third]
        #expect(w.gradient == expected)
        w.zeroGradient()
        #expect(w.gradient == [0, 0, 0])
    }

    @Test func constantsGetNoGradient() {
        let tape = Tape()
        let w = Tensor(parameter: [2], values: [1, 2])
        let c = tape.constant(shape: [2], values: [3, 4])
        tape.backward(tape.mean(tape.multiply(w, c)))
        #expect(w.gradient == [1.5, 2])
        #expect(c.gradient == nil)
    }

    // Serialized: the OpenBLAS thread count is process-wide.
    @Test(.serialized, arguments: [1, 2])
    func trainingIsDeterministicForASeedAndThreadCount(threads: Int) {
        ComputeThreads.set(threads)
        defer { ComputeThreads.set(1) }
        #expect(ComputeThreads.count == threads)
        func run() -> [Float] {
            let model = MiniCLIP(seed: 11)
            let tape = Tape()
            let optimizer = AdamW(parameters: model.parameters)
            return (0..<4).map { _ in trainStep(model, tape, optimizer, Batch()) } + model.parameters.flatMap(\.scalars)
        }
        #expect(run() == run())
    }
}
