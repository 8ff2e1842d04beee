import Testing

@testable import Prompting

@Suite struct SamplerReproducibilityTests {
    /// Two independent builds of the same job (fresh library load, same seeds) give
    /// byte-identical prompts for every caption and style.
    @Test func rebuildingAJobGivesIdenticalPrompts() async throws {
        let captions = (0..<150).map { "person number \($0) walking a dog in the park , stock photo" }
        func buildJob(seed: UInt64) async throws -> [String] {
            let library = try RepositoryFiles.bundledLibrary()
            var prompts: [String] = []
            for (index, caption) in captions.enumerated() {
                for style in library.styleNames {
                    let source = library.sources[style]!
                    let draw = DemonstrationSampler.draw(from: source, jobSeed: seed, captionID: Int64(index))
                    prompts.append(try await PromptBuilder.build(caption: caption, draw: draw, source: source).text)
                }
            }
            return prompts
        }
        let first = try await buildJob(seed: 99)
        let second = try await buildJob(seed: 99)
        #expect(first == second)
        let otherSeed = try await buildJob(seed: 100)
        let same = zip(first, otherSeed).filter { $0 == $1 }.count
        #expect(same < first.count / 20, "a new job seed redraws nearly every prompt (\(same) equal)")
    }

    @Test func drawDependsOnSeedCaptionAndStyleName() throws {
        let library = try RepositoryFiles.bundledLibrary()
        let chatgpt = try #require(library.sources["chatgpt"])
        // Same text under another name: only the name differs, and it must change the draws.
        let renamed = try MetaPairSource.parse(name: "chatgpt2", text: chatgpt.text, file: "chatgpt2.txt")
        var sameAcrossNames = 0
        var sameAcrossCaptions = 0
        var sameAcrossSeeds = 0
        for captionID in Int64(0)..<1000 {
            let draw = DemonstrationSampler.draw(from: chatgpt, jobSeed: 5, captionID: captionID)
            #expect(draw == DemonstrationSampler.draw(from: chatgpt, jobSeed: 5, captionID: captionID))
            if draw == DemonstrationSampler.draw(from: renamed, jobSeed: 5, captionID: captionID) {
                sameAcrossNames += 1
            }
            if draw == DemonstrationSampler.draw(from: chatgpt, jobSeed: 5, captionID: captionID + 1) {
                sameAcrossCaptions += 1
            }
            if draw == DemonstrationSampler.draw(from: chatgpt, jobSeed: 6, captionID: captionID) {
                sameAcrossSeeds += 1
            }
        }
        // 3360 ordered draws: about 0.3 coincidences expected per 1000.
        #expect(sameAcrossNames <= 5)
        #expect(sameAcrossCaptions <= 5)
        #expect(sameAcrossSeeds <= 5)
    }

    /// Every demonstration in a style's prompt comes from that style's own file.
    @Test func stylesDrawOnlyFromTheirOwnFile() async throws {
        let library = try RepositoryFiles.bundledLibrary()
        var linesByStyle: [String: Set<String>] = [:]
        for (name, source) in library.sources {
            var lines = Set(source.pairs.map { "\($0.input) => \($0.output)" })
            for group in source.groups {
                for input in group.captions {
                    for output in group.captions where output != input { lines.insert("\(input) => \(output)") }
                }
            }
            linesByStyle[name] = lines
        }
        for captionID in Int64(0)..<200 {
            for style in library.styleNames {
                let source = library.sources[style]!
                let draw = DemonstrationSampler.draw(from: source, jobSeed: 1, captionID: captionID)
                let prompt = try await PromptBuilder.build(caption: "a caption to rewrite", draw: draw, source: source)
                    .text
                let shown = prompt.split(separator: "\n").dropFirst().dropLast().map(String.init)
                #expect(shown.count == 3)
                for line in shown {
                    #expect(linesByStyle[style]!.contains(line), "\(style): \(line)")
                    for (other, lines) in linesByStyle where other != style {
                        #expect(!lines.contains(line), "\(style) prompt shows a line of \(other)")
                    }
                }
            }
        }
    }
}
