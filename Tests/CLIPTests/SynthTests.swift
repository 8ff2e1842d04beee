import Foundation
import Testing

@testable import CLIPData
@testable import Synth

@Suite("Synthetic data set")
struct SynthTests {
    @Test func writesALaCLIPExportDeterministically() throws {
        let first = try ScratchDirectory("synth-a"), second = try ScratchDirectory("synth-b")
        defer { first.remove(); second.remove() }
        let options = Synth.Options(count: 30, heldOutCount: 10, imageSize: 32, seed: 7, rewriteStyles: 2)
        let output = try Synth.generate(options: options, into: first.url)
        try Synth.generate(options: options, into: second.url)
        for name in [
            "train.csv", "heldout.csv", "classes.txt", "rewrites/synthetic-1.txt", "images/train/000017.png",
            "images/heldout/000009.png",
        ] {
            #expect(
                try Data(contentsOf: first.file(name)) == Data(contentsOf: second.file(name)),
                "\(name) differs between runs")
        }
        let dataset = try LaCLIPDataset(csv: output.trainCSV, rewrites: output.rewriteFiles)
        #expect(dataset.samples.count == 30 && dataset.samples.allSatisfy { $0.captions.count == 3 })
        let image = try RGBImage(contentsOf: dataset.samples[0].image)
        #expect(image.width == 32 && image.height == 32)
        // Captions are noisy: not all the same length or wording.
        #expect(Set(dataset.samples.map { $0.captions[0] }).count == 30)
        let heldOut = try LaCLIPDataset(csv: output.heldOutCSV)
        #expect(heldOut.samples.count == 10 && heldOut.samples.allSatisfy { output.classes.contains($0.captions[0]) })
        #expect(output.classes.count == 40)

        let other = try ScratchDirectory("synth-c")
        defer { other.remove() }
        try Synth.generate(options: Synth.Options(count: 30, heldOutCount: 10, imageSize: 32, seed: 8), into: other.url)
        #expect(try Data(contentsOf: first.file("train.csv")) != Data(contentsOf: other.file("train.csv")))
    }
}

@Suite("Synthetic concepts")
struct SynthConceptsTests {
    @Test func findsColourAndShapeWordsWhateverTheirCaseOrNumber() {
        #expect(SynthConcepts.concepts(in: "TWO Purple RINGS, on white bg") == ["purple", "ring", "white"])
        #expect(SynthConcepts.concepts(in: "circles-and-squares") == ["circle", "square"])
        // Words that merely contain a concept are not the concept.
        #expect(SynthConcepts.concepts(in: "reddish stringy blues") == [])
    }

    @Test func aRewriteKeepsItsOriginalOnlyWhenItNamesEveryConcept() {
        #expect(
            SynthConcepts.keeps(
                original: "small orange ring, on black icon", rewrite: "A black icon with a little orange ring."))
        #expect(
            !SynthConcepts.keeps(
                original: "small orange ring, on black icon", rewrite: "A guard with a sword on his forehead."))
        #expect(!SynthConcepts.keeps(original: "red square", rewrite: "a red circle"))
        // Extra concepts do not count against a rewrite; only missing ones do.
        #expect(SynthConcepts.keeps(original: "image: triangle", rewrite: "a green triangle"))
    }
}
