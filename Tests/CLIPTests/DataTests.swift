import Foundation
import Seeding
import Tensor
import Testing

@testable import CLIP
@testable import CLIPData

@Suite("LaCLIP data")
struct DataTests {
    /// Pearson's statistic of observed counts against expected probabilities.
    func chiSquare(_ counts: [Int], expected probabilities: [Double]) -> Double {
        let total = Double(counts.reduce(0, +))
        return zip(counts, probabilities).reduce(0.0) { sum, pair in
            let expected = total * pair.1
            return expected == 0 ? sum : sum + pow(Double(pair.0) - expected, 2) / expected
        }
    }

    @Test func originalAndFourRewritesArePickedEquallyOften() throws {
        let captions = [
            "a red circle", "A vivid red circle floats here.", "red circle on white", "one red circle", "a circle, red",
        ]
        let schedule = try BatchSchedule(sampleCount: 100, batchSize: 50, seed: 4)
        var counts = [0, 0, 0, 0, 0]
        for step in 0..<1000 {
            for slot in 0..<50 {
                var generator = schedule.sampleGenerator(step: step, slot: slot)
                counts[CaptionChoice.choose(captions, augment: true, generator: &generator)] += 1
            }
        }
        // 4 degrees of freedom: P(χ² > 18.47) = 0.001 for a uniform choice; a choice biased by
        // 2% of 10,000 per option already gives χ² ≈ 40.
        let statistic = chiSquare(counts, expected: [Double](repeating: 0.2, count: 5))
        #expect(statistic < 18.47, "counts \(counts), χ² \(statistic)")
    }

    @Test func rewritesUnderTwoWordsFallBackToTheOriginal() throws {
        // "one" and "" have fewer than 2 words; "two  " splits into ["two", "", ""] = 3 words.
        let captions = ["the original caption", "one", "two words", "", "two  "]
        #expect(
            CaptionChoice.wordCount("one") == 1 && CaptionChoice.wordCount("") == 1
                && CaptionChoice.wordCount("two  ") == 3)
        var generator = SeededGenerator(seed: 9)
        var counts = [0, 0, 0, 0, 0]
        for _ in 0..<50_000 { counts[CaptionChoice.choose(captions, augment: true, generator: &generator)] += 1 }
        #expect(counts[1] == 0 && counts[3] == 0)
        // The original takes the two failed picks: 3/5; the valid rewrites 1/5 each.
        let statistic = chiSquare([counts[0], counts[2], counts[4]], expected: [0.6, 0.2, 0.2])
        #expect(statistic < 13.82, "counts \(counts), χ² \(statistic)") // 2 dof, p = 0.001
        var vanilla = SeededGenerator(seed: 9)
        #expect((0..<100).allSatisfy { _ in CaptionChoice.choose(captions, augment: false, generator: &vanilla) == 0 })
    }

    @Test func readsTheExportWithQuotingAndAlignedRewrites() throws {
        let scratch = try ScratchDirectory("export")
        defer { scratch.remove() }
        let csv = try scratch.write(
            "a.png,plain caption\r\n\"b.jpg\",\"quoted, with \"\"quotes\"\"\nand a newline\"\n\nnotes.txt,not an image\nsub/c.JPEG,third\n",
            to: "train.csv")
        let first = try scratch.write("rewrite a\nrewrite b\nrewrite notes\nrewrite c\n", to: "chatgpt.txt")
        let second = try scratch.write("x a\r\n\r\nx notes\r\nx c", to: "bard.txt")
        let dataset = try LaCLIPDataset(csv: csv, rewrites: [first, second])
        #expect(dataset.rewriteStyles == ["chatgpt", "bard"])
        #expect(dataset.samples.map(\.row) == [0, 1, 3])
        #expect(dataset.samples[1].captions == ["quoted, with \"quotes\"\nand a newline", "rewrite b", ""])
        #expect(dataset.samples[2].captions == ["third", "rewrite c", "x c"])
        #expect(dataset.samples[2].image == scratch.url.appendingPathComponent("sub/c.JPEG"))

        let short = try scratch.write("only one line\n", to: "coco.txt")
        #expect(throws: DataError.self) { try LaCLIPDataset(csv: csv, rewrites: [short]) }
        let broken = try scratch.write("a.png,\"never closed\n", to: "broken.csv")
        #expect(throws: DataError.self) { try LaCLIPDataset(csv: broken) }
    }

    @Test func decodesPNGExactlyAndJPEGClosely() throws {
        let scratch = try ScratchDirectory("images")
        defer { scratch.remove() }
        let image = patternImage(width: 7, height: 5, seed: 3)
        try image.writePNG(to: scratch.file("p.png"))
        #expect(try RGBImage(contentsOf: scratch.file("p.png")) == image)

        // A smooth gradient survives JPEG at quality 95 within a few levels.
        var pixels: [UInt8] = []
        for y in 0..<16 { for x in 0..<16 { pixels += [UInt8(x * 16), UInt8(y * 16), 128] } }
        let smooth = RGBImage(width: 16, height: 16, pixels: pixels)
        let decoded = try RGBImage(decoding: try smooth.jpegData(quality: 95))
        #expect(decoded.width == 16 && decoded.height == 16)
        let worst = zip(decoded.pixels, smooth.pixels).map { abs(Int($0) - Int($1)) }.max()!
        #expect(worst <= 12)

        #expect(throws: ImageDecodingError.self) { try RGBImage(decoding: Data("not an image".utf8)) }
        #expect(throws: ImageDecodingError.self) { try RGBImage(decoding: Data([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0])) }
        #expect(throws: ImageDecodingError.self) { try RGBImage(decoding: Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2])) }
    }

    @Test func randomResizedCropStaysInTheRecipesRanges() {
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<2000 {
            let crop = ImageTransform.randomResizedCrop(width: 120, height: 90, generator: &generator)
            #expect(crop.left >= 0 && crop.top >= 0 && crop.left + crop.width <= 120 && crop.top + crop.height <= 90)
            let area = Double(crop.width * crop.height) / (120 * 90)
            let ratio = Double(crop.width) / Double(crop.height)
            // Rounding the sides to whole pixels moves area and ratio by a few percent.
            #expect(area > 0.47 && area <= 1.0)
            #expect(ratio > 0.73 && ratio < 1.37)
        }
        // A very wide image falls back to a central crop at the widest allowed ratio.
        var fallback = SeededGenerator(seed: 1)
        let wide = ImageTransform.randomResizedCrop(width: 400, height: 10, generator: &fallback)
        #expect(wide.height == 10 && wide.width == 13 && wide.left == (400 - 13) / 2)
    }

    @Test func resamplingNormalisesWithCLIPStatistics() {
        let resolution = 4
        var out = [Float](repeating: 0, count: 3 * resolution * resolution)
        // Same size: each output pixel is its source pixel, normalised.
        let image = patternImage(width: 4, height: 4, seed: 8)
        ImageTransform.resample(
            image, crop: CropRegion(left: 0, top: 0, width: 4, height: 4), resolution: 4, into: &out)
        for y in 0..<4 {
            for x in 0..<4 {
                for c in 0..<3 {
                    let expected =
                        (Float(image.pixels[(y * 4 + x) * 3 + c]) / 255 - ImageTransform.mean[c])
                        / ImageTransform.std[c]
                    #expect(abs(out[c * 16 + y * 4 + x] - expected) < 1e-5)
                }
            }
        }
        // Downscaling a flat colour keeps it flat.
        let flat = RGBImage(
            width: 13, height: 9, pixels: [UInt8]((0..<(13 * 9)).flatMap { _ in [200, 100, 0] as [UInt8] }))
        ImageTransform.resample(flat, crop: CropRegion(left: 2, top: 1, width: 9, height: 7), resolution: 4, into: &out)
        for c in 0..<3 {
            let expected = (Float([200, 100, 0][c]) / 255 - ImageTransform.mean[c]) / ImageTransform.std[c]
            #expect(out[(c * 16)..<(c * 16 + 16)].allSatisfy { abs($0 - expected) < 1e-4 })
        }
    }

    @Test func prefetchedBatchesEqualDirectlyBuiltOnesAndFollowTheRule() throws {
        let scratch = try ScratchDirectory("loader")
        defer { scratch.remove() }
        var csv = "", rewriteA = "", rewriteB = ""
        for i in 0..<12 {
            try patternImage(width: 10 + i, height: 12, seed: UInt64(i)).writePNG(to: scratch.file("\(i).png"))
            csv += "\(i).png,original caption \(i)\n"
            rewriteA += (i % 3 == 0 ? "single" : "rewrite a \(i)") + "\n"
            rewriteB += "rewrite b \(i)\n"
        }
        let dataset = try LaCLIPDataset(
            csv: try scratch.write(csv, to: "train.csv"),
            rewrites: [try scratch.write(rewriteA, to: "a.txt"), try scratch.write(rewriteB, to: "b.txt")])
        let tokenizer = try Tokenizer.learn(from: dataset.allTexts, vocabularySize: 600)
        let builder = BatchBuilder(
            dataset: dataset, tokenizer: tokenizer, schedule: try BatchSchedule(sampleCount: 12, batchSize: 4, seed: 2),
            resolution: 8, contextLength: 12, augmentText: true)
        let loader = PrefetchingBatchLoader(builder: builder, startStep: 5)
        defer { loader.stop() }
        var seen = Set<Int>()
        var choices = [0, 0, 0]
        for step in 5..<14 {
            let prefetched = try loader.next()
            let direct = try builder.batch(step: step)
            #expect(prefetched.step == step)
            #expect(prefetched.images == direct.images && prefetched.tokens == direct.tokens)
            for (index, choice) in zip(prefetched.sampleIndices, prefetched.captionChoices) {
                choices[choice] += 1
                #expect(!(choice == 1 && index % 3 == 0), "a one-word rewrite was used")
            }
            // Steps 3k..<3k+3 form an epoch, which visits every sample once.
            if step % 3 == 0 { seen = [] }
            seen.formUnion(prefetched.sampleIndices)
            if step % 3 == 2 && step > 5 { #expect(seen.count == 12) }
        }
        #expect(loader.position == 14)
        #expect(choices.allSatisfy { $0 > 0 })
        let vanilla = BatchBuilder(
            dataset: dataset, tokenizer: tokenizer, schedule: builder.schedule, resolution: 8, contextLength: 12,
            augmentText: false)
        #expect(try vanilla.batch(step: 3).captionChoices == [0, 0, 0, 0])
    }
}
