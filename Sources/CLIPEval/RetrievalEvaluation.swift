/// Image→text and text→image retrieval on held-out pairs (pair i's image matches caption i):
/// R@1, R@5, R@10 and the mean and median rank of the true match, as open_clip logs them.
/// Ranks: 1 is best, ties count against the true match.
public enum RetrievalEvaluation {
    /// Rank of each image's caption among all captions, and of each caption's image among all images.
    public static func ranks(imageEmbeddings: [[Float]], textEmbeddings: [[Float]]) -> (
        imageToText: [Int], textToImage: [Int]
    ) {
        precondition(
            imageEmbeddings.count == textEmbeddings.count,
            "\(imageEmbeddings.count) images for \(textEmbeddings.count) captions")
        let similarity = VectorMath.similarities(imageEmbeddings, textEmbeddings)
        let n = imageEmbeddings.count
        let imageToText = (0..<n).map { VectorMath.rank(of: $0, in: similarity[$0]) }
        let textToImage = (0..<n).map { t in VectorMath.rank(of: t, in: (0..<n).map { similarity[$0][t] }) }
        return (imageToText, textToImage)
    }

    public static func evaluate(imageEmbeddings: [[Float]], textEmbeddings: [[Float]]) -> RetrievalResult {
        let (i2t, t2i) = ranks(imageEmbeddings: imageEmbeddings, textEmbeddings: textEmbeddings)
        return RetrievalResult(count: i2t.count, imageToText: summarize(i2t), textToImage: summarize(t2i))
    }

    public static func summarize(_ ranks: [Int]) -> RetrievalResult.Direction {
        let n = Double(max(ranks.count, 1))
        func recall(_ k: Int) -> Double { Double(ranks.filter { $0 <= k }.count) / n }
        let sorted = ranks.sorted()
        let median: Double
        if sorted.isEmpty {
            median = 0
        } else if sorted.count % 2 == 1 {
            median = Double(sorted[sorted.count / 2])
        } else {
            median = Double(sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        return .init(
            recallAt1: recall(1), recallAt5: recall(5), recallAt10: recall(10),
            meanRank: Double(ranks.reduce(0, +)) / n, medianRank: median)
    }
}

public struct RetrievalResult: Sendable, Codable, Equatable {
    public struct Direction: Sendable, Codable, Equatable {
        public var recallAt1: Double
        public var recallAt5: Double
        public var recallAt10: Double
        public var meanRank: Double
        public var medianRank: Double
    }

    public var count: Int
    public var imageToText: Direction
    public var textToImage: Direction
}
