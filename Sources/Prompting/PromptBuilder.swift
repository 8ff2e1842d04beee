/// Renders a task's prompt and holds it within a token budget by cutting the caption.
///
/// The paper caps prompts at 400 tokens and re-terminates a cut prompt with ` =>`. Cutting
/// inside the caption (never the instruction or the demonstrations) keeps the prompt's shape,
/// and the template's text after `{caption}` (` =>` for the paper's) is what re-terminates it.
public struct PromptBuilder: Sendable {
    public static let defaultBudget = 400

    public var template: PromptTemplate
    public var budget: Int
    public var counter: any TokenCounter

    public init(
        template: PromptTemplate = .paper, budget: Int = PromptBuilder.defaultBudget,
        counter: any TokenCounter = ByteEstimateTokenCounter()
    ) {
        self.template = template
        self.budget = budget
        self.counter = counter
    }

    /// One-call form of `PromptBuilder(template:budget:counter:).build(caption:draw:source:)`.
    public static func build(
        caption: String, draw: DemonstrationDraw, source: MetaPairSource,
        template: PromptTemplate = .paper, budget: Int = PromptBuilder.defaultBudget,
        counter: any TokenCounter = ByteEstimateTokenCounter()
    ) async throws -> BuiltPrompt {
        try await PromptBuilder(template: template, budget: budget, counter: counter)
            .build(caption: caption, draw: draw, source: source)
    }

    /// Builds the prompt for `caption` with the demonstrations of `draw` from `source`.
    ///
    /// The caption's line breaks (and other control characters) become spaces and its ends are
    /// trimmed, since a line break would end the prompt's last line early. If the prompt is over
    /// budget, the longest prefix of whole words that fits is kept (found by binary search, so
    /// an exact HTTP-backed counter is called O(log words) times); if not even the first word
    /// fits, the longest prefix of characters of it. Every kept length was measured to fit.
    public func build(caption: String, draw: DemonstrationDraw, source: MetaPairSource) async throws -> BuiltPrompt {
        let shown = try demonstrationsChecked(draw: draw, source: source)
        let caption = Self.normalisedCaption(caption)
        guard !caption.isEmpty else {
            throw PromptBuildError(
                kind: .emptyCaption, message: "the caption is empty after removing line breaks and surrounding spaces")
        }
        let (before, after) = template.renderParts(demonstrations: shown.map { ($0.input, $0.output) })
        let outputs = shown.map(\.output)

        func result(_ kept: Substring, tokens: Int, truncated: Bool) -> BuiltPrompt {
            BuiltPrompt(
                text: before + kept + after, tokenCount: tokens, truncated: truncated,
                tokenCountIsExact: counter.isExact, caption: String(kept), demonstrationOutputs: outputs)
        }

        let fullCount = try await counter.countTokens(before + caption + after)
        if fullCount <= budget {
            return result(Substring(caption), tokens: fullCount, truncated: false)
        }

        // Ends of words (index just past each word's last character), all but the last word.
        var wordEnds: [String.Index] = []
        var index = caption.startIndex
        while index < caption.endIndex {
            if caption[index].isWhitespace {
                let previous = caption.index(before: index)
                if !caption[previous].isWhitespace { wordEnds.append(index) }
            }
            index = caption.index(after: index)
        }
        if let (end, tokens) = try await longestFitting(wordEnds, caption: caption, before: before, after: after) {
            return result(caption[..<end], tokens: tokens, truncated: true)
        }

        let firstWordEnd = wordEnds.first ?? caption.endIndex
        var characterEnds: [String.Index] = []
        index = caption.index(after: caption.startIndex)
        while index < firstWordEnd {
            characterEnds.append(index)
            index = caption.index(after: index)
        }
        if let (end, tokens) = try await longestFitting(characterEnds, caption: caption, before: before, after: after) {
            return result(caption[..<end], tokens: tokens, truncated: true)
        }

        let bare = try await counter.countTokens(before + after)
        throw PromptBuildError(
            kind: .budgetTooSmall,
            message:
                "the prompt without its caption already needs \(bare) tokens\(counter.isExact ? "" : " (estimated)"), and the budget is \(budget): use shorter demonstrations or a larger budget"
        )
    }

    /// The largest cut in `ends` (ascending) whose prompt fits, by binary search assuming the
    /// count grows with the caption; only a measured fit is ever returned.
    private func longestFitting(_ ends: [String.Index], caption: String, before: String, after: String) async throws
        -> (String.Index, Int)?
    {
        var low = 0
        var high = ends.count - 1
        var best: (String.Index, Int)?
        while low <= high {
            let middle = (low + high) / 2
            let tokens = try await counter.countTokens(before + caption[..<ends[middle]] + after)
            if tokens <= budget {
                best = (ends[middle], tokens)
                low = middle + 1
            } else {
                high = middle - 1
            }
        }
        return best
    }

    private func demonstrationsChecked(draw: DemonstrationDraw, source: MetaPairSource) throws(PromptBuildError)
        -> [Demonstration]
    {
        guard draw.count == template.demonstrationCount else {
            throw PromptBuildError(
                kind: .drawMismatch,
                message:
                    "the draw holds \(draw.count) demonstrations but the template shows \(template.demonstrationCount)")
        }
        return try draw.ids.map { id throws(PromptBuildError) in
            guard let demonstration = source.demonstration(id: id) else {
                throw PromptBuildError(
                    kind: .drawMismatch,
                    message:
                        "demonstration id \(id) is not in source '\(source.name)' (\(source.demonstrationCount) demonstrations)"
                )
            }
            return demonstration
        }
    }

    /// Each run of line breaks, tabs and other control characters becomes one space (so CRLF
    /// is one break, not two); the ends are trimmed.
    static func normalisedCaption(_ caption: String) -> String {
        var scalars = String.UnicodeScalarView()
        var inBreak = false
        for scalar in caption.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator:
                if !inBreak { scalars.append(" ") }
                inBreak = true
            default:
                scalars.append(scalar)
                inBreak = false
            }
        }
        return String(scalars).trimmingWhitespace()
    }
}
