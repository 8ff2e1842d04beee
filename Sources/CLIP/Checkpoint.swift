import Foundation
import Tensor

/// A training checkpoint: model, optimiser moments, tokenizer and the position in the run.
///
/// One file: the magic `LACLIPCK`, a little-endian UInt64 header length, a JSON header, then
/// raw little-endian Float32 arrays (parameters, first moments, second moments, each in
/// `CLIPModel.parameters` order). The data order and every random draw are functions of
/// (seed, step) (see `BatchSchedule`), so the step is the whole loader and RNG state.
public struct Checkpoint: Sendable {
    public struct Header: Codable, Sendable, Equatable {
        public var formatVersion: Int
        /// Steps completed; training continues with this 0-based step.
        public var step: Int
        public var totalSteps: Int
        public var seed: UInt64
        public var batchSize: Int
        public var sampleCount: Int
        public var configuration: CLIPConfiguration
        public var tokenizer: String
        public var parameterNames: [String]
        public var parameterShapes: [[Int]]
        public var optimizerStep: Int
    }

    public var header: Header
    public var parameters: [[Float]]
    public var firstMoments: [[Float]]
    public var secondMoments: [[Float]]

    static let magic = Array("LACLIPCK".utf8)

    init(
        step: Int, totalSteps: Int, seed: UInt64, batchSize: Int, sampleCount: Int, model: CLIPModel,
        tokenizer: Tokenizer, optimizer: AdamW
    ) {
        let state = optimizer.state
        header = Header(
            formatVersion: 1, step: step, totalSteps: totalSteps, seed: seed, batchSize: batchSize,
            sampleCount: sampleCount,
            configuration: model.configuration, tokenizer: tokenizer.fileContents,
            parameterNames: model.parameters.map(\.name), parameterShapes: model.parameters.map(\.shape),
            optimizerStep: state.step)
        parameters = model.parameters.map(\.scalars)
        firstMoments = state.firstMoments
        secondMoments = state.secondMoments
    }

    public func write(to url: URL) throws {
        var data = Data(Checkpoint.magic)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(header)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        for arrays in [parameters, firstMoments, secondMoments] {
            for array in arrays {
                // Swift's platforms are all little-endian, so the in-memory bytes are the format.
                array.withUnsafeBytes { data.append(contentsOf: $0) }
            }
        }
        try data.write(to: url, options: .atomic)
    }

    public static func read(from url: URL) throws -> Checkpoint {
        let data = try Data(contentsOf: url)
        let bytes = [UInt8](data)
        let file = url.lastPathComponent
        guard bytes.count >= 16, Array(bytes[0..<8]) == magic else {
            throw CheckpointError(description: "\(file): not a laclip checkpoint")
        }
        let headerLength = Int(bytes[8..<16].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        guard 16 + headerLength <= bytes.count else { throw CheckpointError(description: "\(file): truncated header") }
        let header = try JSONDecoder().decode(Header.self, from: Data(bytes[16..<(16 + headerLength)]))
        guard header.formatVersion == 1 else {
            throw CheckpointError(description: "\(file): unknown format version \(header.formatVersion)")
        }
        let counts = header.parameterShapes.map { $0.reduce(1, *) }
        let expected = 16 + headerLength + 3 * counts.reduce(0, +) * 4
        guard bytes.count == expected else {
            throw CheckpointError(
                description:
                    "\(file): \(bytes.count) bytes, expected \(expected) for its parameters (truncated or corrupt)")
        }
        var offset = 16 + headerLength
        func readArrays() -> [[Float]] {
            counts.map { count in
                var values = [Float](repeating: 0, count: count)
                values.withUnsafeMutableBytes { target in
                    bytes.withUnsafeBytes { source in
                        target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + count * 4)]))
                    }
                }
                offset += count * 4
                return values
            }
        }
        let parameters = readArrays(), first = readArrays(), second = readArrays()
        return Checkpoint(header: header, parameters: parameters, firstMoments: first, secondMoments: second)
    }

    private init(header: Header, parameters: [[Float]], firstMoments: [[Float]], secondMoments: [[Float]]) {
        self.header = header
        self.parameters = parameters
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
    }

    /// Copies the stored values into a model built with the same configuration, and its optimiser.
    func restore(into model: CLIPModel, optimizer: AdamW) throws {
        guard header.configuration == model.configuration else {
            throw CheckpointError(description: "checkpoint was trained with a different model configuration")
        }
        guard header.parameterNames == model.parameters.map(\.name),
            header.parameterShapes == model.parameters.map(\.shape)
        else {
            throw CheckpointError(description: "checkpoint parameters do not match the model's")
        }
        for (tensor, values) in zip(model.parameters, parameters) { tensor.scalars = values }
        // AdamWState has no public initialiser; decode an empty one and fill its public fields.
        var state = try JSONDecoder().decode(
            AdamWState.self, from: Data(#"{"step":0,"firstMoments":[],"secondMoments":[]}"#.utf8))
        state.step = header.optimizerStep
        state.firstMoments = firstMoments
        state.secondMoments = secondMoments
        try optimizer.restore(state)
    }

    /// `checkpoint-<step>.bin` files in `directory`, newest (highest step) last.
    static func files(in directory: URL) -> [(step: Int, url: URL)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.compactMap { name -> (Int, URL)? in
            guard name.hasPrefix("checkpoint-"), name.hasSuffix(".bin"),
                let step = Int(name.dropFirst("checkpoint-".count).dropLast(".bin".count))
            else { return nil }
            return (step, directory.appendingPathComponent(name))
        }.sorted { $0.0 < $1.0 }
    }

    static func fileName(step: Int) -> String { String(format: "checkpoint-%07d.bin", step) }
}

/// A checkpoint that cannot be read or does not fit the run.
public struct CheckpointError: Error, Sendable, CustomStringConvertible {
    public var description: String

    /// Public because CLIPEval's checkpoint loader reports mismatches as checkpoint errors too.
    public init(description: String) { self.description = description }
}
