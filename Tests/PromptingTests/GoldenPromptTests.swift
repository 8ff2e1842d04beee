import Testing

@testable import Prompting

/// The prompt for a fixed seed and caption, written out by hand from the paper's format:
/// instruction line, blank line, three `input => output` lines separated by blank lines, a
/// blank line, then the caption and ` =>` with nothing after it.
@Suite struct GoldenPromptTests {
    static let pairFile = """
        # pairs for the golden test
        dog on the grass , stock photo => A happy brown dog rolls on the green grass.
        the bridge at night . => A stone bridge glows under street lamps at night.
        person riding a horse on the beach => A rider gallops a gray horse along the wet sand.
        red apples in a basket => A wicker basket full of shiny red apples.
        actor poses with his award => An actor smiles and holds up a golden award.
        """

    static let groupFile = """
        [a]
        one cat sleeps
        a cat is sleeping
        a sleepy cat naps
        [b]
        two dogs run
        dogs are running
        [c]
        a red car
        the car is red
        a small red car
        [d]
        an old tree
        a tall old tree
        """

    @Test func pairSourcePromptMatchesHandWrittenBytes() async throws {
        let source = try MetaPairSource.parse(name: "golden", text: Self.pairFile, file: "golden.txt")
        let draw = DemonstrationSampler.draw(from: source, jobSeed: 2023, captionID: 42)
        #expect(draw.ids == [0, 2, 3])
        let built = try await PromptBuilder.build(
            caption: "person walks across a rope bridge in the forest",
            draw: draw, source: source)
        let expected =
            "write image captions differently,\n"
            + "\n"
            + "dog on the grass , stock photo => A happy brown dog rolls on the green grass.\n"
            + "\n"
            + "person riding a horse on the beach => A rider gallops a gray horse along the wet sand.\n"
            + "\n"
            + "red apples in a basket => A wicker basket full of shiny red apples.\n"
            + "\n"
            + "person walks across a rope bridge in the forest =>"
        #expect(Array(built.text.utf8) == Array(expected.utf8))
        #expect(!built.truncated)
        #expect(
            built.demonstrationOutputs == [
                "A happy brown dog rolls on the green grass.",
                "A rider gallops a gray horse along the wet sand.",
                "A wicker basket full of shiny red apples.",
            ])
    }

    @Test func groupSourcePromptMatchesHandWrittenBytes() async throws {
        let source = try MetaPairSource.parse(name: "scenes", text: Self.groupFile, file: "scenes.txt")
        let draw = DemonstrationSampler.draw(from: source, jobSeed: 2023, captionID: 42)
        // Group b (ids 6-7), caption 1 -> caption 0; group a (0-5), caption 2 -> caption 1;
        // group c (8-13), caption 1 -> caption 0.
        #expect(draw.ids == [7, 5, 10])
        let built = try await PromptBuilder.build(caption: "a bird on a fence", draw: draw, source: source)
        let expected =
            "write image captions differently,\n\ndogs are running => two dogs run\n\n"
            + "a sleepy cat naps => a cat is sleeping\n\nthe car is red => a red car\n\na bird on a fence =>"
        #expect(Array(built.text.utf8) == Array(expected.utf8))
    }

    @Test func bundledTemplateFileIsThePaperTemplate() throws {
        let file = try PromptTemplate.load(url: RepositoryFiles.prompts.appendingPathComponent("laclip.txt"))
        #expect(file == PromptTemplate.paper)
        #expect(
            file.text
                == "write image captions differently,\n\n{input1} => {output1}\n\n{input2} => {output2}\n\n{input3} => {output3}\n\n{caption} =>"
        )
        #expect(file.demonstrationCount == 3)
    }

    @Test func renderPlacesEveryField() {
        let text = PromptTemplate.paper.render(
            demonstrations: [("a1", "b1"), ("a2", "b2"), ("a3", "b3")], caption: "c")
        #expect(text == "write image captions differently,\n\na1 => b1\n\na2 => b2\n\na3 => b3\n\nc =>")
    }
}
