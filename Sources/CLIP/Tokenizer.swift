import Foundation

/// Lower-cased byte-level BPE in the style of CLIP's tokenizer, learned from the training text.
///
/// Ids: 0..<256 are raw bytes inside a word, 256..<512 the same bytes ending a word (CLIP's
/// `</w>`), then one id per learned merge in the order learned, and the last two ids of the
/// vocabulary are start-of-text and end-of-text. Any text encodes (every byte has an id).
public struct Tokenizer: Sendable, Equatable {
    public static let byteTokenCount = 512
    public static let minimumVocabularySize = byteTokenCount + 2

    public let vocabularySize: Int
    /// Learned merges, ids of the left and right parts; merge i makes id 512 + i.
    public let merges: [Pair]
    private let mergeRanks: [Pair: Int32]

    public struct Pair: Hashable, Sendable, Comparable {
        public var left: Int32
        public var right: Int32
        public init(_ left: Int32, _ right: Int32) { self.left = left; self.right = right }
        public static func < (a: Pair, b: Pair) -> Bool { (a.left, a.right) < (b.left, b.right) }
    }

    public var startToken: Int32 { Int32(vocabularySize - 2) }
    public var endToken: Int32 { Int32(vocabularySize - 1) }

    public init(vocabularySize: Int, merges: [Pair]) throws(TokenizerError) {
        guard vocabularySize >= Tokenizer.minimumVocabularySize else {
            throw TokenizerError(
                description: "vocabulary size \(vocabularySize) is below the minimum \(Tokenizer.minimumVocabularySize)"
            )
        }
        guard merges.count <= vocabularySize - Tokenizer.minimumVocabularySize else {
            throw TokenizerError(description: "\(merges.count) merges do not fit a vocabulary of \(vocabularySize)")
        }
        var ranks: [Pair: Int32] = [:]
        for (rank, pair) in merges.enumerated() {
            let limit = Int32(Tokenizer.byteTokenCount + rank)
            guard pair.left >= 0, pair.right >= 0, pair.left < limit, pair.right < limit else {
                throw TokenizerError(
                    description: "merge \(rank) refers to an id not defined before it: \(pair.left) \(pair.right)")
            }
            ranks[pair] = Int32(rank)
        }
        self.vocabularySize = vocabularySize
        self.merges = merges
        self.mergeRanks = ranks
    }

    public static func == (a: Tokenizer, b: Tokenizer) -> Bool {
        a.vocabularySize == b.vocabularySize && a.merges == b.merges
    }

    // MARK: Encoding

    /// Token ids of `text` without start and end tokens.
    public func tokens(_ text: String) -> [Int32] {
        var result: [Int32] = []
        for word in Tokenizer.words(text) { result += encodeWord(word) }
        return result
    }

    /// [start] + tokens + [end], truncated to `contextLength` so that the end token is kept.
    public func encode(_ text: String, contextLength: Int) -> [Int32] {
        precondition(contextLength >= 2, "context length must hold the start and end tokens")
        let body = tokens(text).prefix(contextLength - 2)
        return [startToken] + body + [endToken]
    }

    public func encodeBatch(_ texts: [String], contextLength: Int) -> TokenBatch {
        TokenBatch(encoded: texts.map { encode($0, contextLength: contextLength) }, contextLength: contextLength)
    }

    /// Text of token ids (start, end and padding after the end dropped; words joined by spaces).
    public func decode(_ ids: [Int32]) -> String {
        var bytes: [UInt8] = []
        for id in ids {
            if id == endToken { break }
            if id == startToken { continue }
            appendBytes(of: id, to: &bytes)
        }
        if bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func appendBytes(of id: Int32, to bytes: inout [UInt8]) {
        if id < 256 { bytes.append(UInt8(id)); return }
        if id < 512 { bytes.append(UInt8(id - 256)); bytes.append(UInt8(ascii: " ")); return }
        let merge = merges[Int(id) - Tokenizer.byteTokenCount]
        appendBytes(of: merge.left, to: &bytes)
        appendBytes(of: merge.right, to: &bytes)
    }

    /// Applies merges lowest rank first until none applies (the order they were learned in).
    private func encodeWord(_ word: [UInt8]) -> [Int32] {
        var symbols = Tokenizer.initialSymbols(word)
        while symbols.count > 1 {
            var bestRank = Int32.max, bestIndex = -1
            for i in 0..<(symbols.count - 1) {
                if let rank = mergeRanks[Pair(symbols[i], symbols[i + 1])], rank < bestRank {
                    bestRank = rank
                    bestIndex = i
                }
            }
            if bestIndex < 0 { break }
            let pair = merges[Int(bestRank)], merged = Int32(Tokenizer.byteTokenCount) + bestRank
            var next: [Int32] = []
            next.reserveCapacity(symbols.count)
            var i = 0
            while i < symbols.count {
                if i + 1 < symbols.count, symbols[i] == pair.left, symbols[i + 1] == pair.right {
                    next.append(merged)
                    i += 2
                } else {
                    next.append(symbols[i])
                    i += 1
                }
            }
            symbols = next
        }
        return symbols
    }

    static func initialSymbols(_ word: [UInt8]) -> [Int32] {
        var symbols = word.map { Int32($0) }
        if !symbols.isEmpty { symbols[symbols.count - 1] += 256 }
        return symbols
    }

    // MARK: Pre-tokenisation

    /// Lower-cases and splits text into words as CLIP's pattern does: common English
    /// contractions, runs of letters, single digits, runs of other non-space characters.
    static func words(_ text: String) -> [[UInt8]] {
        let scalars = Array(text.lowercased().unicodeScalars)
        var words: [[UInt8]] = []
        var i = 0
        func utf8(_ range: Range<Int>) -> [UInt8] {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars[range])
            return Array(String(s).utf8)
        }
        func isLetter(_ s: Unicode.Scalar) -> Bool {
            s.properties.isAlphabetic && !s.properties.numericType.isSomething
        }
        func isDigit(_ s: Unicode.Scalar) -> Bool { s.properties.numericType.isSomething }
        while i < scalars.count {
            let s = scalars[i]
            if s.properties.isWhitespace { i += 1; continue }
            if s == "'", let length = contractionLength(scalars, at: i) {
                words.append(utf8(i..<(i + length)))
                i += length
            } else if isLetter(s) {
                var j = i + 1
                while j < scalars.count, isLetter(scalars[j]) { j += 1 }
                words.append(utf8(i..<j))
                i = j
            } else if isDigit(s) {
                words.append(utf8(i..<(i + 1)))
                i += 1
            } else {
                var j = i + 1
                while j < scalars.count, !scalars[j].properties.isWhitespace, !isLetter(scalars[j]),
                    !isDigit(scalars[j])
                { j += 1 }
                words.append(utf8(i..<j))
                i = j
            }
        }
        return words
    }

    private static func contractionLength(_ scalars: [Unicode.Scalar], at i: Int) -> Int? {
        for suffix in ["'ll", "'re", "'ve", "'s", "'t", "'m", "'d"] {
            let suffixScalars = Array(suffix.unicodeScalars)
            if i + suffixScalars.count <= scalars.count, Array(scalars[i..<(i + suffixScalars.count)]) == suffixScalars
            {
                return suffixScalars.count
            }
        }
        return nil
    }
}

private extension Optional where Wrapped == Unicode.NumericType {
    var isSomething: Bool { self != nil }
}

/// A tokenizer that cannot be built or read.
public struct TokenizerError: Error, Sendable, CustomStringConvertible {
    public var description: String
}
