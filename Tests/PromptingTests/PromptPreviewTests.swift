import Testing

@testable import Prompting

@Suite struct PromptPreviewTests {
    @Test func previewMatchesWhatAJobWouldBuild() async throws {
        let library = try RepositoryFiles.bundledLibrary()
        let caption = "golden retriever playing in the snow , stock photo"
        let preview = try await PromptPreview.make(
            caption: caption, style: "bard", jobSeed: 42, captionID: 7, library: library)
        let source = library.sources["bard"]!
        let draw = DemonstrationSampler.draw(from: source, jobSeed: 42, captionID: 7)
        #expect(preview.draw == draw)
        #expect(preview.prompt == (try await PromptBuilder.build(caption: caption, draw: draw, source: source)))
        #expect(preview.demonstrations.map(\.id) == draw.ids)
        #expect(preview.demonstrations.map(\.output) == preview.prompt.demonstrationOutputs)

        let stored = try await PromptPreview.make(
            caption: caption, draw: DemonstrationDraw(packed: draw.packed), source: source)
        #expect(stored == preview)

        let report = preview.report
        #expect(
            report.hasPrefix(
                "style: bard\ndraw: \(draw.packed) (demonstration ids \(draw.ids.map(String.init).joined(separator: ", ")))\n"
            ))
        for demonstration in preview.demonstrations {
            #expect(report.contains("  #\(demonstration.id): \(demonstration.input) => \(demonstration.output)\n"))
        }
        #expect(report.contains("tokens (estimated)"))
        #expect(report.contains("\n" + preview.prompt.text + "\n"))
    }

    @Test func withoutACaptionIDTheTextIsCaptionZero() async throws {
        let library = try RepositoryFiles.bundledLibrary()
        let preview = try await PromptPreview.make(caption: "a red kite", style: "coco", jobSeed: 3, library: library)
        #expect(preview.draw == DemonstrationSampler.draw(from: library.sources["coco"]!, jobSeed: 3, captionID: 0))
    }

    @Test func anUnknownStyleListsTheKnownOnes() async throws {
        let library = try RepositoryFiles.bundledLibrary()
        let error = await #expect(throws: PromptBuildError.self) {
            try await PromptPreview.make(caption: "a red kite", style: "gpt4", jobSeed: 3, library: library)
        }
        #expect(error?.kind == .unknownStyle)
        #expect(error?.message == "no style 'gpt4' (available: chatgpt, bard, coco, human)")
    }
}
