/// What `laclip prompt` shows: the exact prompt of a caption in a style, and the draw behind it.
public struct PromptPreview: Sendable, Equatable {
    public var style: String
    public var draw: DemonstrationDraw
    public var demonstrations: [Demonstration]
    public var prompt: BuiltPrompt

    public init(style: String, draw: DemonstrationDraw, demonstrations: [Demonstration], prompt: BuiltPrompt) {
        self.style = style
        self.draw = draw
        self.demonstrations = demonstrations
        self.prompt = prompt
    }

    /// A caption outside any job (`laclip prompt --text ... --style S --seed N`): the draw is
    /// made exactly as a job with seed `jobSeed` would make it for caption id `captionID`
    /// (0 unless given), so the preview matches what a worker would send for that task.
    public static func make(
        caption: String, style: String, jobSeed: UInt64, captionID: Int64 = 0,
        library: MetaPairLibrary, template: PromptTemplate = .paper,
        budget: Int = PromptBuilder.defaultBudget,
        counter: any TokenCounter = ByteEstimateTokenCounter()
    ) async throws -> PromptPreview {
        guard let source = library.sources[style] else {
            throw PromptBuildError(
                kind: .unknownStyle,
                message: "no style '\(style)' (available: \(library.styleNames.joined(separator: ", ")))")
        }
        guard (1...source.unitCount).contains(template.demonstrationCount) else {
            throw PromptBuildError(
                kind: .drawMismatch,
                message:
                    "the template shows \(template.demonstrationCount) demonstrations but style '\(style)' has \(source.unitCount) \(source.layout == .pairs ? "pairs" : "groups")"
            )
        }
        let draw = DemonstrationSampler.draw(
            from: source, jobSeed: jobSeed, captionID: captionID, count: template.demonstrationCount)
        return try await make(
            caption: caption, draw: draw, source: source, template: template, budget: budget, counter: counter)
    }

    /// A stored task (`laclip prompt --job DIR --caption ID --style S`): the job's own draw and
    /// its snapshot of the style's meta pairs.
    public static func make(
        caption: String, draw: DemonstrationDraw, source: MetaPairSource,
        template: PromptTemplate = .paper, budget: Int = PromptBuilder.defaultBudget,
        counter: any TokenCounter = ByteEstimateTokenCounter()
    ) async throws -> PromptPreview {
        let prompt = try await PromptBuilder(template: template, budget: budget, counter: counter)
            .build(caption: caption, draw: draw, source: source)
        // The builder has checked every id against the source.
        let shown = draw.ids.compactMap { source.demonstration(id: $0) }
        return PromptPreview(style: source.name, draw: draw, demonstrations: shown, prompt: prompt)
    }

    /// A human-readable account: the draw, each demonstration with its id, the token count, and
    /// the prompt itself verbatim between marker lines.
    public var report: String {
        var lines: [String] = []
        lines.append("style: \(style)")
        lines.append("draw: \(draw.packed) (demonstration ids \(draw.ids.map(String.init).joined(separator: ", ")))")
        for demonstration in demonstrations {
            lines.append("  #\(demonstration.id): \(demonstration.input) => \(demonstration.output)")
        }
        let exactness = prompt.tokenCountIsExact ? "tokens" : "tokens (estimated)"
        lines.append("prompt: \(prompt.tokenCount) \(exactness)\(prompt.truncated ? ", caption truncated to fit" : "")")
        lines.append("----- prompt begins on the next line -----")
        lines.append(prompt.text)
        lines.append("----- prompt ended on the previous line (no trailing newline is sent) -----")
        return lines.joined(separator: "\n")
    }
}
