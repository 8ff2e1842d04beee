import Foundation
import Seeding
import Tensor
import Testing

@testable import CLIPEval

@Suite("Zero-shot, retrieval and few-shot on hand-made embeddings")
struct MetricTests {
    @Test func promptEnsembleIsTheRenormalisedMeanOfNormalisedEmbeddings() {
        // Class "a": templates embed to (3,4) and (0,2); normalised (0.6,0.8) and (0,1);
        // mean (0.3,0.9); norm √0.9; ensemble (0.3,0.9)/√0.9 = (1/√10, 3/√10).
        let classifier = ZeroShotClassifier(
            classNames: ["a", "b"], promptEmbeddings: [[[3, 4], [0, 2]], [[-5, 0], [-1, 0]]])
        let s = Float(10).squareRoot()
        #expect(
            abs(classifier.classEmbeddings[0][0] - 1 / s) < 1e-6 && abs(classifier.classEmbeddings[0][1] - 3 / s) < 1e-6
        )
        #expect(classifier.classEmbeddings[1] == [-1, 0])
        // Averaging raw (un-normalised) embeddings would give (1.5,3)/|·| = (1/√5, 2/√5): different.
        #expect(abs(classifier.classEmbeddings[0][0] - 1 / Float(5).squareRoot()) > 0.1)
    }

    @Test func zeroShotTopOneAndTopFiveByHand() {
        // Six classes on the axes of R⁶. Image 0 is nearest its class (rank 1); image 1's class
        // comes third; image 2's class comes sixth (last): top-1 = 1/3, top-5 = 2/3.
        let axes = (0..<6).map { i in (0..<6).map { Float($0 == i ? 1 : 0) } }
        let classifier = ZeroShotClassifier(classNames: (0..<6).map { "c\($0)" }, promptEmbeddings: axes.map { [$0] })
        let images: [[Float]] = [
            [0.9, 0.1, 0, 0, 0, 0], // label 0: score 0.9 beats all → rank 1
            [0.5, 0.4, 0.3, 0.1, 0, 0], // label 2: 0.3 below 0.5 and 0.4 → rank 3
            [0.1, 0.2, 0.3, 0.4, 0.5, 0.05], // label 5: lowest of six → rank 6
        ]
        let result = classifier.evaluate(imageEmbeddings: images, labels: [0, 2, 5])
        #expect(abs(result.top1 - 1.0 / 3) < 1e-12 && abs(result.top5 - 2.0 / 3) < 1e-12)
        // A tie with another class counts against the true one.
        let tied = classifier.evaluate(imageEmbeddings: [[0.5, 0.5, 0, 0, 0, 0]], labels: [1])
        #expect(tied.top1 == 0 && tied.top5 == 1)
    }

    @Test func templatesFileParsingAndTheShippedSet() throws {
        let parsed = try ZeroShotTemplates(parsing: "# comment\r\na photo of a {}.\r\n\n  {} art  \n", file: "t.txt")
        #expect(parsed.templates == ["a photo of a {}.", "{} art"])
        #expect(parsed.prompts(for: "red circle") == ["a photo of a red circle.", "red circle art"])
        #expect(throws: TemplateFileError.self) {
            try ZeroShotTemplates(parsing: "ok {}\nno hole here\n", file: "t.txt")
        }
        do { _ = try ZeroShotTemplates(parsing: "ok {}\n{} and {}\n", file: "t.txt") } catch {
            #expect(error.description == "t.txt:2: a template needs exactly one {} for the class name, found 2")
        }
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Prompts/zeroshot-templates.txt"
        ).standardizedFileURL
        #expect(try ZeroShotTemplates.load(url: file) == ZeroShotTemplates.standard)
    }

    /// Embeddings whose dot products are a given matrix S: images are the unit axes, text j is
    /// column j of S, so sim(image i, text j) = S[i][j].
    func embeddings(for s: [[Float]]) -> (images: [[Float]], texts: [[Float]]) {
        let n = s.count
        return (
            (0..<n).map { i in (0..<n).map { Float($0 == i ? 1 : 0) } }, (0..<n).map { j in (0..<n).map { s[$0][j] } }
        )
    }

    @Test func retrievalRanksByHandInBothDirections() {
        let s: [[Float]] = [
            [0.9, 0.1, 0.2, 0.0], // image 0: its caption best → rank 1
            [0.8, 0.7, 0.1, 0.0], // image 1: 0.7 < 0.8 → rank 2
            [0.3, 0.5, 0.2, 0.6], // image 2: 0.2 below 0.3, 0.5, 0.6 → rank 4
            [0.1, 0.2, 0.3, 0.4], // image 3: rank 1
        ]
        let (images, texts) = embeddings(for: s)
        let ranks = RetrievalEvaluation.ranks(imageEmbeddings: images, textEmbeddings: texts)
        #expect(ranks.imageToText == [1, 2, 4, 1])
        // Columns: caption 0 → image 0 (0.9 best) rank 1; caption 1 → image 1 (0.7 best) rank 1;
        // caption 2 → image 2 scores 0.2, below image 3's 0.3 and tied with image 0's 0.2 (a tie
        // counts against) → rank 3; caption 3 → image 3 scores 0.4, below image 2's 0.6 → rank 2.
        #expect(ranks.textToImage == [1, 1, 3, 2])
        let result = RetrievalEvaluation.evaluate(imageEmbeddings: images, textEmbeddings: texts)
        #expect(result.imageToText.recallAt1 == 0.5 && result.imageToText.recallAt5 == 1)
        #expect(result.imageToText.meanRank == 2 && result.imageToText.medianRank == 1.5)
        #expect(
            result.textToImage.recallAt1 == 0.5 && result.textToImage.meanRank == 1.75
                && result.textToImage.medianRank == 1.5)
    }

    @Test func recallAtOneFiveTenOnTwelvePairs() {
        // Row i puts exactly r_i - 1 other captions above its own (1 vs 0 vs -1).
        let wanted = [1, 1, 2, 3, 5, 6, 8, 10, 11, 12, 4, 7]
        let s: [[Float]] = wanted.enumerated().map { i, r in
            let above = Set((0..<12).filter { $0 != i }.prefix(r - 1))
            return (0..<12).map { j in j == i ? 0 : (above.contains(j) ? 1 : -1) }
        }
        let (images, texts) = embeddings(for: s)
        let result = RetrievalEvaluation.evaluate(imageEmbeddings: images, textEmbeddings: texts).imageToText
        #expect(RetrievalEvaluation.ranks(imageEmbeddings: images, textEmbeddings: texts).imageToText == wanted)
        // R@1: ranks {1,1} → 2/12; R@5: {1,1,2,3,5,4} → 6/12; R@10: all but 11 and 12 → 10/12.
        #expect(result.recallAt1 == 2.0 / 12 && result.recallAt5 == 6.0 / 12 && result.recallAt10 == 10.0 / 12)
        // Sum 70 → mean 70/12; sorted ranks 1,1,2,3,4,5,6,7,8,10,11,12 → median (5+6)/2.
        #expect(abs(result.meanRank - 70.0 / 12) < 1e-12 && result.medianRank == 5.5)
    }

    @Test func weightedKNNVotesByHand() {
        // Query on the x axis. Supports: class 0 at cos 0.6 and 0.5, class 1 at cos 0.9.
        let query: [Float] = [1, 0]
        let support: [[Float]] = [[0.6, 0.8], [0.5, 0.866], [0.9, 0.436], [-1, 0]]
        let labels = [0, 0, 1, 1]
        let knn = WeightedKNN(neighbours: 3, temperature: 0.1)
        let votes = knn.votes(query: query, support: support, supportLabels: labels, classCount: 2)
        // Votes exp((s-1)/τ): class 0 e^-4 + e^-5 ≈ 0.0251, class 1 e^-1 ≈ 0.368; the 4th support
        // (cos -1) is outside k = 3 and adds nothing.
        #expect(abs(votes[0] - (exp(-4) + exp(-5))) < 1e-6 && abs(votes[1] - exp(-1)) < 1e-6)
        #expect(knn.predict(query: query, support: support, supportLabels: labels, classCount: 2) == 1)
        // Unweighted majority of the 3 nearest would say class 0; a flat temperature approaches it.
        #expect(
            WeightedKNN(neighbours: 3, temperature: 100).predict(
                query: query, support: support, supportLabels: labels, classCount: 2) == 0)
        // k = 1 keeps only the nearest.
        #expect(
            WeightedKNN(neighbours: 1).votes(query: query, support: support, supportLabels: labels, classCount: 2)[0]
                == 0)
    }

    @Test func fewShotEpisodesFollowTheProtocol() throws {
        let labels = (0..<160).map { $0 % 8 } + [8, 8, 8] // class 8 has 3 images: too few for 5 shots
        let options = FewShotEvaluation.Options(episodes: 50, seed: 2)
        let episodes = try FewShotEvaluation.episodes(labels: labels, options: options)
        #expect(episodes.count == 50)
        for episode in episodes {
            #expect(Set(episode.classes).count == 5 && !episode.classes.contains(8))
            #expect(episode.support.count == 25 && episode.queries.count == 75)
            #expect(Set(episode.support.map(\.row)).isDisjoint(with: episode.queries.map(\.row)))
            for (row, label) in episode.support + episode.queries { #expect(labels[row] == episode.classes[label]) }
        }
        #expect(Set(episodes.map(\.classes)).count > 10, "episodes should draw different class sets")
        #expect(try FewShotEvaluation.episodes(labels: labels, options: options) == episodes)
        #expect(throws: EvaluationError.self) {
            try FewShotEvaluation.episodes(labels: (0..<40).map { $0 % 4 }, options: options)
        }
    }

    @Test func fewShotAccuracyOnSeparableAndOnUninformativeFeatures() throws {
        let labels = (0..<200).map { $0 % 10 }
        // Each class a unit axis plus a little per-image wobble: every query is nearest its class.
        let clustered: [[Float]] = labels.enumerated().map { i, c in
            VectorMath.normalized((0..<10).map { $0 == c ? 1 : Float((i * 31 + $0 * 7) % 11) / 100 })
        }
        #expect(
            try FewShotEvaluation.evaluate(features: clustered, labels: labels, options: .init(episodes: 200)).accuracy
                == 1)
        // Features independent of the labels: accuracy is chance, 1/5.
        var generator = SeededGenerator(seed: 5)
        let noise = labels.map { _ in VectorMath.normalized((0..<10).map { _ in generator.nextUnitFloat() * 2 - 1 }) }
        let chance = try FewShotEvaluation.evaluate(features: noise, labels: labels, options: .init(episodes: 400))
        #expect(abs(chance.accuracy - 0.2) < 0.04, "accuracy \(chance.accuracy) ± \(chance.confidence95)")
    }
}
