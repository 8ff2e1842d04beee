import Testing

@testable import Prompting

/// Counts words as "tokens" and records every call, standing in for a server's exact tokenizer.
actor CountingWordCounter: TokenCounter {
    private(set) var calls = 0
    nonisolated var isExact: Bool { true }

    func countTokens(_ text: String) async throws -> Int {
        calls += 1
        return text.split(whereSeparator: { $0.isWhitespace }).count
    }
}

@Suite struct PromptBuilderTests {
    let source: MetaPairSource
    let draw: DemonstrationDraw

    init() throws {
        source = try #require(try RepositoryFiles.bundledLibrary().sources["human"])
        draw = DemonstrationSampler.draw(from: source, jobSeed: 3, captionID: 17)
    }

    static let longCaption = (1...400).map { "word\($0)" }.joined(separator: " ")

    @Test func aPromptWithinBudgetIsLeftAlone() async throws {
        let built = try await PromptBuilder.build(caption: "kids riding bikes , summer", draw: draw, source: source)
        #expect(!built.truncated)
        #expect(built.caption == "kids riding bikes , summer")
        #expect(built.text.hasSuffix("\n\nkids riding bikes , summer =>"))
        #expect(built.tokenCount == ByteEstimateTokenCounter.estimate(built.text))
        #expect(built.tokenCount <= 400)
        #expect(!built.tokenCountIsExact)
    }

    @Test(arguments: [400, 300, 250])
    func truncationKeepsTheEstimatedPromptWithinBudget(budget: Int) async throws {
        let built = try await PromptBuilder.build(caption: Self.longCaption, draw: draw, source: source, budget: budget)
        #expect(built.truncated)
        #expect(built.tokenCount <= budget)
        #expect(ByteEstimateTokenCounter.estimate(built.text) == built.tokenCount)
        #expect(built.text.hasSuffix(" =>"))
        #expect(built.text.hasSuffix(built.caption + " =>"))
        // Cut at a word boundary, and as late as the budget allows.
        let keptWords = built.caption.split(separator: " ").count
        #expect(built.caption == (1...keptWords).map { "word\($0)" }.joined(separator: " "))
        let oneMore = (1...(keptWords + 1)).map { "word\($0)" }.joined(separator: " ")
        let longer = PromptTemplate.paper.render(demonstrations: demonstrations(of: draw, in: source), caption: oneMore)
        #expect(ByteEstimateTokenCounter.estimate(longer) > budget)
        // The instruction and demonstrations are untouched.
        let untruncated = PromptTemplate.paper.render(
            demonstrations: demonstrations(of: draw, in: source), caption: built.caption)
        #expect(built.text == untruncated)
    }

    @Test func anExactCounterIsCalledLogarithmicallyOften() async throws {
        let counter = CountingWordCounter()
        let budget = 120
        let built = try await PromptBuilder.build(
            caption: Self.longCaption, draw: draw, source: source,
            budget: budget, counter: counter)
        #expect(built.truncated)
        #expect(built.tokenCountIsExact)
        #expect(built.tokenCount == budget)
        #expect(try await counter.countTokens(built.text) == budget)
        // One full count, then a binary search over 399 word ends: at most 1 + 9 calls.
        #expect(await counter.calls - 1 <= 10)
    }

    @Test func aCaptionWithoutSpacesIsCutInsideItsWord() async throws {
        let blob = String(repeating: "abcdefghij", count: 200)
        let built = try await PromptBuilder.build(caption: "https://example.com/" + blob, draw: draw, source: source)
        #expect(built.truncated)
        #expect(built.tokenCount <= 400)
        #expect(built.text.hasSuffix(" =>"))
        #expect(built.caption.count > 10)
        #expect(("https://example.com/" + blob).hasPrefix(built.caption))
    }

    @Test func aBudgetTheDemonstrationsAloneExceedIsAnError() async throws {
        let error = await #expect(throws: PromptBuildError.self) {
            try await PromptBuilder.build(caption: "a dog", draw: draw, source: source, budget: 20)
        }
        #expect(error?.kind == .budgetTooSmall)
        #expect(error?.message.contains("(estimated)") == true)
    }

    @Test func lineBreaksInTheCaptionBecomeSpaces() async throws {
        let built = try await PromptBuilder.build(
            caption: "  two dogs\r\nplaying\tin the\u{2028}snow\n", draw: draw, source: source)
        #expect(built.caption == "two dogs playing in the snow")
        #expect(built.text.hasSuffix("\n\ntwo dogs playing in the snow =>"))
        #expect(built.text.split(separator: "\n", omittingEmptySubsequences: false).count == 9)
        let empty = await #expect(throws: PromptBuildError.self) {
            try await PromptBuilder.build(caption: " \n\r\n ", draw: draw, source: source)
        }
        #expect(empty?.kind == .emptyCaption)
    }

    @Test func drawsThatDoNotFitTheSourceOrTemplateAreRejected() async throws {
        let tooLarge = DemonstrationDraw(ids: [1, 2, 16])
        let wrongSource = await #expect(throws: PromptBuildError.self) {
            try await PromptBuilder.build(caption: "a dog", draw: tooLarge, source: source)
        }
        #expect(wrongSource?.kind == .drawMismatch)
        let twoDemonstrations = DemonstrationDraw(ids: [1, 2])
        let wrongCount = await #expect(throws: PromptBuildError.self) {
            try await PromptBuilder.build(caption: "a dog", draw: twoDemonstrations, source: source)
        }
        #expect(wrongCount?.kind == .drawMismatch)
    }

    @Test func aUserTemplateTerminatesTheCutPromptItsOwnWay() async throws {
        let template = try PromptTemplate(text: "Rewrite:\n{input1} -> {output1}\n{input2} -> {output2}\n{caption} ->")
        let twoFromSource = DemonstrationSampler.draw(
            from: source, jobSeed: 3, captionID: 17, count: template.demonstrationCount)
        let built = try await PromptBuilder(template: template, budget: 150).build(
            caption: Self.longCaption, draw: twoFromSource, source: source)
        #expect(built.truncated)
        #expect(built.text.hasPrefix("Rewrite:\n"))
        #expect(built.text.hasSuffix(" ->"))
        #expect(built.tokenCount <= 150)
    }
}
