import Foundation
import Seeding
import Tensor
import TensorTestSupport
import Testing

@testable import CLIP

/// Sizes small enough for finite differences over every parameter tensor.
let microConfiguration = CLIPConfiguration(
    imageResolution: 8, patchSize: 4, visionWidth: 8, visionDepth: 2, visionHeads: 2,
    contextLength: 6, vocabularySize: Tokenizer.minimumVocabularySize + 4, textWidth: 8, textDepth: 2, textHeads: 2,
    embedDimension: 4)

func randomImages(count: Int, resolution: Int, seed: UInt64) -> ImageBatch {
    var generator = SeededGenerator(seed: seed)
    return ImageBatch(
        count: count, resolution: resolution,
        pixels: (0..<(count * 3 * resolution * resolution)).map { _ in generator.nextNormal() })
}

@Suite("CLIP model")
struct CLIPModelTests {
    @Test func wholeModelLossGradientMatchesFiniteDifferences() throws {
        let model = try CLIPModel(configuration: microConfiguration, seed: 11)
        // Move away from the initial point (unit gains, zero biases) so that no term of the
        // gradient is special-cased by symmetry.
        var generator = SeededGenerator(seed: 12)
        for parameter in model.parameters where parameter !== model.logitScale {
            parameter.withUnsafeMutableBufferPointer { values in
                for i in values.indices { values[i] += 0.1 * generator.nextNormal() }
            }
        }
        let images = randomImages(count: 3, resolution: 8, seed: 13)
        let first = Int32(Tokenizer.byteTokenCount)
        let tokens = TokenBatch(
            count: 3, contextLength: 6,
            tokens: [
                515, 3, first, 9, 517, 0,
                515, 40, 517, 0, 0, 0,
                515, first + 1, 7, 8, 2, 517,
            ], endPositions: [4, 2, 5])
        // h = 2e-3: the logits are scaled by 1/0.07, so the loss curves faster than the Tensor
        // tests' mini CLIP; at 5e-3 the h² truncation error reached 2% on the text tower's
        // attention output bias and shrank with h, at 2e-3 everything is within the bound.
        let report = checkGradients(model.parameters, step: 2e-3, maxEntriesPerParameter: 6) { tape in
            model.loss(images: images, tokens: tokens, tape: tape)
        }
        print("gradcheck tiny CLIP: \(report)")
        #expect(report.checkedEntries > 150)
        #expect(report.worstRatioToBound <= 1, "\(report)")
    }

    @Test func shapesAndParameterCount() throws {
        let c = CLIPConfiguration.tiny
        let model = try CLIPModel(configuration: c, seed: 1)
        let tape = Tape()
        let images = randomImages(count: 5, resolution: c.imageResolution, seed: 2)
        let tokens = TokenBatch(
            encoded: (0..<5).map { [Int32(c.vocabularySize - 2), Int32($0), Int32(c.vocabularySize - 1)] },
            contextLength: c.contextLength)
        let imageFeatures = model.encodeImages(images, tape: tape)
        let textFeatures = model.encodeText(tokens, tape: tape)
        #expect(imageFeatures.shape == [5, c.embedDimension])
        #expect(textFeatures.shape == [5, c.embedDimension])
        let logits = model.logits(imageFeatures: imageFeatures, textFeatures: textFeatures, tape: tape)
        #expect(logits.shape == [5, 5])
        let loss = CLIPModel.contrastiveLoss(logits: logits, tape: tape)
        #expect(loss.shape == [] && loss.item.isFinite)

        func blockParameters(_ w: Int) -> Int {
            2 * w + (3 * w * w + 3 * w) + (w * w + w) + 2 * w + (4 * w * w + 4 * w) + (4 * w * w + w)
        }
        let vision =
            c.visionWidth * c.patchValues + c.visionWidth + (c.patchCount + 1) * c.visionWidth + 2 * c.visionWidth
            + c.visionDepth * blockParameters(c.visionWidth) + 2 * c.visionWidth + c.embedDimension * c.visionWidth
        let text =
            c.vocabularySize * c.textWidth + c.contextLength * c.textWidth + c.textDepth * blockParameters(c.textWidth)
            + 2 * c.textWidth + c.embedDimension * c.textWidth
        #expect(model.parameterCount == vision + text + 1)
    }

    @Test func logitScaleStartsAtOneOverPointZeroSevenAndClamps() throws {
        let model = try CLIPModel(configuration: microConfiguration, seed: 3)
        #expect(abs(exp(model.logitScale[flat: 0]) - 1 / 0.07) < 1e-4)
        #expect(!model.logitScale.decays)
        #expect(model.decayedParameters.allSatisfy { $0.rank >= 2 })
        #expect(
            !model.decayedParameters.contains {
                $0.name.contains("bias") || $0.name.contains("ln_") || $0.name.contains("class_embedding")
            })
        model.logitScale[flat: 0] = 7
        model.clampLogitScale()
        #expect(model.logitScale[flat: 0] == CLIPModel.maximumLogitScale)
        model.logitScale[flat: 0] = -1
        model.clampLogitScale()
        #expect(model.logitScale[flat: 0] == 0)
    }

    @Test func logitsAreNeverScaledByMoreThanOneHundred() throws {
        let model = try CLIPModel(configuration: microConfiguration, seed: 3)
        model.logitScale[flat: 0] = 6 // e⁶ ≈ 403: the cap applies in the forward pass too
        let tape = Tape()
        let features = tape.constant(shape: [2, 4], values: [1, 0, 0, 0, 0, 1, 0, 0])
        let logits = model.logits(imageFeatures: features, textFeatures: features, tape: tape)
        #expect(logits.scalars == [100, 0, 0, 100])
    }

    @Test func textFeaturesAtAPositionIgnoreLaterTokens() throws {
        let model = try CLIPModel(configuration: microConfiguration, seed: 4)
        let tape = Tape()
        tape.isRecording = false
        // Same first four tokens, different later ones; both read at position 3. Each sequence
        // runs alone so that both go through identical BLAS blocking and compare bit for bit.
        let a: [Int32] = [515, 5, 6, 7, 8, 9], b: [Int32] = [515, 5, 6, 7, 100, 517]
        func features(_ tokens: [Int32], at position: Int32) -> [Float] {
            tape.reset()
            return model.encodeText(
                TokenBatch(count: 1, contextLength: 6, tokens: tokens, endPositions: [position]), tape: tape
            ).scalars
        }
        #expect(features(a, at: 3) == features(b, at: 3))
        // Read at the last position the change is visible, so the check above is not vacuous.
        #expect(features(a, at: 5) != features(b, at: 5))
    }

    @Test func imagesArePatchifiedInConvolutionOrder() {
        // One 4×4 image, 2×2 patches: value = channel·100 + row·10 + column.
        var pixels: [Float] = []
        for channel in 0..<3 {
            for row in 0..<4 { for column in 0..<4 { pixels.append(Float(channel * 100 + row * 10 + column)) } }
        }
        let images = ImageBatch(count: 1, resolution: 4, pixels: pixels)
        var patches = [Float](repeating: -1, count: 4 * 12)
        patches.withUnsafeMutableBufferPointer { images.writePatches(patchSize: 2, into: $0) }
        // Patch 1 is the top-right one: rows 0-1, columns 2-3, channel-major.
        #expect(Array(patches[12..<24]) == [2, 3, 12, 13, 102, 103, 112, 113, 202, 203, 212, 213])
        #expect(Array(patches[36..<48]) == [22, 23, 32, 33, 122, 123, 132, 133, 222, 223, 232, 233])
    }
}
