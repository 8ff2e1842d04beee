import Foundation
import Testing

@testable import CLIP

@Suite("Byte-level BPE tokenizer")
struct TokenizerTests {
    let corpus = [
        "A red circle on a blue background",
        "two small red circles, stock photo",
        "The RED square at the left",
        "red red red circle circle",
        "vector illustration: a green triangle",
    ]

    @Test func roundTripsLowerCasedText() throws {
        let tokenizer = try Tokenizer.learn(from: corpus, vocabularySize: 600)
        #expect(
            tokenizer.decode(tokenizer.tokens("A Red Circle on a blue background"))
                == "a red circle on a blue background")
        // Unseen words, digits, punctuation and non-ASCII still encode (byte fallback).
        let unseen = "zebra 42 crossing… naïve café, it's 3:15!"
        let encoded = tokenizer.encode(unseen, contextLength: 64)
        #expect(encoded.first == tokenizer.startToken && encoded.last == tokenizer.endToken)
        #expect(encoded.allSatisfy { $0 >= 0 && Int($0) < tokenizer.vocabularySize })
        #expect(tokenizer.decode(encoded) == "zebra 4 2 crossing … naïve café , it 's 3 : 1 5 !")
    }

    @Test func learnsMergesDeterministicallyAndFrequentWordsBecomeOneToken() throws {
        let first = try Tokenizer.learn(from: corpus, vocabularySize: 600)
        let second = try Tokenizer.learn(from: corpus.reversed(), vocabularySize: 600)
        #expect(first == second)
        #expect(first.merges.count > 20)
        // The most frequent adjacent pair of the corpus goes first: "r"+"e" (6× in red, once in green).
        #expect(first.merges[0] == Tokenizer.Pair(Int32(UInt8(ascii: "r")), Int32(UInt8(ascii: "e"))))
        #expect(first.tokens("red").count == 1)
        #expect(first.tokens("circle").count == 1)
    }

    @Test func truncationKeepsStartAndEndTokens() throws {
        let tokenizer = try Tokenizer.learn(from: corpus, vocabularySize: 600)
        let long = Array(repeating: "red circle", count: 40).joined(separator: " ")
        let encoded = tokenizer.encode(long, contextLength: 10)
        #expect(encoded.count == 10)
        #expect(encoded.first == tokenizer.startToken && encoded.last == tokenizer.endToken)
        #expect(Array(encoded[1..<9]) == Array(tokenizer.tokens(long).prefix(8)))
        let batch = tokenizer.encodeBatch(["red", long], contextLength: 10)
        #expect(batch.endPositions == [2, 9])
        #expect(batch.tokens[2] == tokenizer.endToken && batch.tokens[19] == tokenizer.endToken)
    }

    @Test func savesAndLoads() throws {
        let tokenizer = try Tokenizer.learn(from: corpus, vocabularySize: 600)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "clip-tokenizer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("tokenizer.bpe")
        try tokenizer.save(to: url)
        let loaded = try Tokenizer.load(from: url)
        #expect(loaded == tokenizer)
        #expect(
            loaded.encode("two red squares", contextLength: 16)
                == tokenizer.encode("two red squares", contextLength: 16))
        #expect(throws: TokenizerError.self) { try Tokenizer(fileContents: "laclip-bpe 1\nvocabulary 600\n600 3\n") }
        #expect(throws: TokenizerError.self) { try Tokenizer(fileContents: "something else\n") }
    }

    @Test func vocabularyLimitsTheNumberOfMerges() throws {
        let tokenizer = try Tokenizer.learn(from: corpus, vocabularySize: Tokenizer.minimumVocabularySize + 5)
        #expect(tokenizer.merges.count == 5)
        #expect(tokenizer.endToken == Int32(Tokenizer.minimumVocabularySize + 4))
        #expect(throws: TokenizerError.self) { try Tokenizer.learn(from: corpus, vocabularySize: 100) }
    }
}
