import Testing

@testable import Prompting

@Suite struct ByteEstimateTokenCounterTests {
    @Test func theRuleAsDocumented() async throws {
        let counter = ByteEstimateTokenCounter()
        #expect(!counter.isExact)
        #expect(try await counter.countTokens("") == 1)
        #expect(ByteEstimateTokenCounter.estimate("abc") == 2) // BOS + 3 letters
        #expect(ByteEstimateTokenCounter.estimate("abcd") == 3) // 4 letters round up to 2
        #expect(ByteEstimateTokenCounter.estimate("a dog =>") == 1 + 2 + 2) // "a dog " is 6 letter/space bytes; "=>" 2
        #expect(ByteEstimateTokenCounter.estimate("1984") == 1 + 4)
        #expect(ByteEstimateTokenCounter.estimate("\u{732B}") == 1 + 3) // one CJK character, 3 bytes
    }

    /// For English captions it stays above a real LLaMA tokenizer's typical ~4 characters per
    /// token, i.e. it errs high.
    @Test func englishPromptsAreCountedHigh() async throws {
        let library = try RepositoryFiles.bundledLibrary()
        for style in library.styleNames {
            let source = library.sources[style]!
            let draw = DemonstrationSampler.draw(from: source, jobSeed: 0, captionID: 0)
            let text = try await PromptBuilder.build(
                caption: "person walking the dog on a rainy street", draw: draw, source: source
            ).text
            let estimate = ByteEstimateTokenCounter.estimate(text)
            #expect(Double(estimate) > Double(text.utf8.count) / 4, "\(style)")
            #expect(estimate < 400, "\(style): the bundled demonstrations leave room for the caption")
        }
    }

    @Test func growsWithThePrefix() {
        let text = "A Café, 12 tables & \u{732B} cats => stock photo"
        var previous = 0
        for end in text.indices.dropFirst() + [text.endIndex] {
            let count = ByteEstimateTokenCounter.estimate(String(text[..<end]))
            #expect(count >= previous)
            previous = count
        }
    }
}
