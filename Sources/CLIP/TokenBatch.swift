/// Tokenised captions, padded to the context length, with the end-of-text position of each.
public struct TokenBatch: Sendable, Equatable {
    public var count: Int
    public var contextLength: Int
    /// [count × contextLength] row-major.
    public var tokens: [Int32]
    public var endPositions: [Int32]

    public init(count: Int, contextLength: Int, tokens: [Int32], endPositions: [Int32]) {
        precondition(
            tokens.count == count * contextLength && endPositions.count == count,
            "token batch of \(count)×\(contextLength) got \(tokens.count) tokens and \(endPositions.count) end positions"
        )
        self.count = count
        self.contextLength = contextLength
        self.tokens = tokens
        self.endPositions = endPositions
    }

    public init(encoded: [[Int32]], contextLength: Int) {
        var tokens = [Int32](repeating: 0, count: encoded.count * contextLength)
        var ends: [Int32] = []
        for (row, sequence) in encoded.enumerated() {
            precondition(
                !sequence.isEmpty && sequence.count <= contextLength,
                "sequence of \(sequence.count) tokens for context \(contextLength)")
            for (i, token) in sequence.enumerated() { tokens[row * contextLength + i] = token }
            ends.append(Int32(sequence.count - 1))
        }
        self.init(count: encoded.count, contextLength: contextLength, tokens: tokens, endPositions: ends)
    }
}
