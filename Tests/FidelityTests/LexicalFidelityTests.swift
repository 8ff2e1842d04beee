import Fidelity
import Testing

@Suite struct LexicalFidelityTests {
    let scorer = LexicalFidelity()

    @Test func paraphraseThatKeepsTheNounsScoresHigh() {
        let score = scorer.score(
            caption: "actor walks the red carpet during film festival .",
            rewrite: "An actor walking down the red carpet at a film festival.")
        // actor, walk, red, carpet, film, festival kept; "the" and "during" are stop words.
        #expect(score == 1)
        #expect(
            scorer.score(
                caption: "a tiger resting in the shade", rewrite: "A tiger relaxes in the cool shade of a tree.") == 2.0
                / 3)
    }

    @Test func totalDriftScoresZero() {
        #expect(
            scorer.score(
                caption: "actor walks the red carpet during film festival .",
                rewrite: "A professional tennis player plays for a team.") == 0)
        #expect(scorer.score(caption: "an entire beach made up only of rocks", rewrite: "A giant ship.") == 0)
    }

    @Test(arguments: [
        ("rocks", "rock"), ("walks", "walking"), ("walked", "walk"), ("running", "run"), ("puppies", "puppy"),
        ("stopped", "stop"), ("smiling", "smile"), ("making", "make"), ("boxes", "box"), ("horses", "horse"),
        ("Dogs", "dog"), ("dog's", "dog"), ("trees", "tree"), ("churches", "church"),
    ])
    func inflectionsMatch(caption: String, rewrite: String) {
        #expect(scorer.score(caption: caption, rewrite: rewrite) == 1, "\(caption) vs \(rewrite)")
    }

    @Test(arguments: [("glass", "glas"), ("red", "re"), ("tennis", "tenni"), ("cactus", "cactu"), ("speed", "spe")])
    func foldingLeavesShortAndLookalikeWordsAlone(caption: String, rewrite: String) {
        #expect(scorer.score(caption: caption, rewrite: rewrite) == 0, "\(caption) vs \(rewrite)")
    }

    @Test func stopWordsAreIgnored() {
        // Only "cat" and "sofa" count: the rewrite keeps both while dropping every stop word.
        #expect(scorer.score(caption: "a cat is on the sofa with its owner", rewrite: "cat, sofa, owner") == 1)
        #expect(scorer.score(caption: "a cat is on the sofa", rewrite: "a is on the") == 0)
        #expect(ContentWords("the of and with is was it").isEmpty)
    }

    @Test func numbersAreContentWords() {
        #expect(ContentWords("3 dogs in 2019").count == 3)
        #expect(scorer.score(caption: "3 dogs", rewrite: "three dogs") == 0.5)
    }

    @Test func captionWithoutContentWordsScoresOne() {
        #expect(scorer.score(caption: "", rewrite: "A dog.") == 1)
        #expect(scorer.score(caption: "it is what it is", rewrite: "Something else entirely.") == 1)
        #expect(scorer.score(caption: "...", rewrite: "") == 1)
    }

    @Test func repeatedWordsCountOnceAndCaseIsIgnored() {
        #expect(ContentWords("Dog dog DOGS").count == 1)
        #expect(scorer.score(caption: "dog dog cat", rewrite: "A DOG.") == 0.5)
    }

    @Test func nonASCIIWordsStayWhole() {
        #expect(scorer.score(caption: "café in paris", rewrite: "A small café near Paris") == 1)
        #expect(scorer.score(caption: "東京 tower", rewrite: "tower") == 0.5)
    }
}
