import Testing

@testable import Prompting

/// The four sources shipped in MetaPairs/ pass the project's own checks and have the paper's
/// shape: 16 demonstrations per source; COCO as 16 scenes of five captions.
@Suite struct BundledMetaPairsTests {
    @Test func theFourPaperSourcesLoad() throws {
        let library = try RepositoryFiles.bundledLibrary()
        #expect(library.styleNames.prefix(4) == ["chatgpt", "bard", "coco", "human"])
        for name in ["chatgpt", "bard", "human"] {
            let source = try #require(library.sources[name])
            #expect(source.layout == .pairs, "\(name)")
            #expect(source.pairs.count == 16, "\(name)")
        }
        let coco = try #require(library.sources["coco"])
        #expect(coco.layout == .groups)
        #expect(coco.groups.count == 16)
        #expect(coco.groups.allSatisfy { $0.captions.count == 5 })
        #expect(coco.demonstrationCount == 16 * 5 * 4)
    }

    /// Every demonstration output, taken as a completion of its own input, is one the validator
    /// accepts: the examples never model an output that would itself be rejected.
    @Test func everyDemonstrationPassesTheCompletionValidator() throws {
        let library = try RepositoryFiles.bundledLibrary()
        let validator = CompletionValidator()
        for (name, source) in library.sources {
            for id in 0..<source.demonstrationCount {
                let demonstration = try #require(source.demonstration(id: id))
                let result = validator.validate(
                    demonstration.output, input: demonstration.input, demonstrationOutputs: [])
                #expect(result == .success(demonstration.output), "\(name) #\(id): \(demonstration.output)")
            }
        }
    }

    @Test func sourcesFollowTheirStyles() throws {
        let library = try RepositoryFiles.bundledLibrary()
        for pair in try #require(library.sources["chatgpt"]).pairs {
            #expect(TextFolding.wordCount(pair.output) < 30, "line \(pair.line)")
            #expect(pair.output.filter { $0 == "." }.count <= 1, "one sentence, line \(pair.line)")
        }
        let bard = try #require(library.sources["bard"])
        #expect(
            bard.pairs.contains { $0.output.split(separator: ". ").count == 2 },
            "some Bard outputs run to two sentences")
        // Inputs are alt-text: no leading capital, unlike the rewritten outputs.
        for name in ["chatgpt", "bard", "human"] {
            for pair in try #require(library.sources[name]).pairs {
                #expect(pair.input.first?.isLowercase == true, "\(name) line \(pair.line)")
                #expect(pair.output.first?.isUppercase == true, "\(name) line \(pair.line)")
            }
        }
    }

    @Test func noDemonstrationTextIsSharedBetweenSources() throws {
        let library = try RepositoryFiles.bundledLibrary()
        var owner: [String: String] = [:]
        for (name, source) in library.sources {
            let texts = source.pairs.flatMap { [$0.input, $0.output] } + source.groups.flatMap(\.captions)
            for text in texts {
                let folded = TextFolding.fold(text)
                #expect(owner[folded] == nil || owner[folded] == name, "\(text) in \(name) and \(owner[folded] ?? "")")
                owner[folded] = name
            }
        }
    }
}
