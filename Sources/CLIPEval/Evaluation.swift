import CLIP
import CLIPData
import Foundation
import Tensor

/// A frozen model loaded from its checkpoint, and its L2-normalised embeddings, which every
/// metric here (zero-shot, retrieval, probes) is computed from.
public enum Evaluation {
    /// L2-normalised image embeddings [count][embed], centre-cropped (CLIP's evaluation transform).
    public static func embedImages(_ images: [RGBImage], model: CLIPModel, batchSize: Int = 64) -> [[Float]] {
        let resolution = model.configuration.imageResolution, values = 3 * resolution * resolution
        var result: [[Float]] = []
        let tape = Tape()
        tape.isRecording = false
        for start in stride(from: 0, to: images.count, by: batchSize) {
            let chunk = images[start..<min(start + batchSize, images.count)]
            var pixels = [Float](repeating: 0, count: chunk.count * values)
            pixels.withUnsafeMutableBufferPointer { buffer in
                for (i, image) in chunk.enumerated() {
                    ImageTransform.resample(
                        image, crop: ImageTransform.centerSquare(width: image.width, height: image.height),
                        resolution: resolution, into: buffer.baseAddress! + i * values)
                }
            }
            tape.reset()
            let features = tape.l2Normalize(
                model.encodeImages(ImageBatch(count: chunk.count, resolution: resolution, pixels: pixels), tape: tape))
            result += rows(features)
        }
        return result
    }

    /// L2-normalised text embeddings [count][embed].
    public static func embedTexts(_ texts: [String], model: CLIPModel, tokenizer: Tokenizer, batchSize: Int = 256)
        -> [[Float]]
    {
        var result: [[Float]] = []
        let tape = Tape()
        tape.isRecording = false
        for start in stride(from: 0, to: texts.count, by: batchSize) {
            let chunk = Array(texts[start..<min(start + batchSize, texts.count)])
            tape.reset()
            let tokens = tokenizer.encodeBatch(chunk, contextLength: model.configuration.contextLength)
            result += rows(tape.l2Normalize(model.encodeText(tokens, tape: tape)))
        }
        return result
    }

    /// A model and tokenizer from a checkpoint file.
    public static func load(checkpoint url: URL) throws -> (model: CLIPModel, tokenizer: Tokenizer) {
        let checkpoint = try Checkpoint.read(from: url)
        let model = try CLIPModel(configuration: checkpoint.header.configuration, seed: 0)
        guard checkpoint.header.parameterNames == model.parameters.map(\.name),
            checkpoint.header.parameterShapes == model.parameters.map(\.shape)
        else {
            throw CheckpointError(
                description: "\(url.lastPathComponent): parameters do not match the model this version builds")
        }
        for (tensor, values) in zip(model.parameters, checkpoint.parameters) { tensor.scalars = values }
        return (model, try Tokenizer(fileContents: checkpoint.header.tokenizer, file: url.lastPathComponent))
    }

    private static func rows(_ tensor: Tensor) -> [[Float]] {
        let width = tensor.shape[1], values = tensor.scalars
        return (0..<tensor.shape[0]).map { Array(values[($0 * width)..<(($0 + 1) * width)]) }
    }
}
