import Foundation
import Seeding
import Tensor

/// N-way K-shot few-shot accuracy on frozen image features, LaCLIP's protocol: many random
/// episodes, each drawing N classes, K labelled support images per class and disjoint query
/// images of the same classes; queries are classified by weighted kNN against the support set
/// and accuracy is averaged over episodes.
public enum FewShotEvaluation {
    public struct Options: Sendable, Codable, Equatable {
        public var ways: Int
        public var shots: Int
        /// Queries per class and episode (fewer when a class has fewer images left).
        public var queriesPerClass: Int
        public var episodes: Int
        public var seed: UInt64
        public var classifier: WeightedKNN

        /// 5-way 5-shot, 15 queries per class (the common episode shape), 1000 episodes, and
        /// weighted kNN over all 25 support images (the paper does not give k; every support
        /// votes, nearer ones exponentially more).
        public init(
            ways: Int = 5, shots: Int = 5, queriesPerClass: Int = 15, episodes: Int = 1000, seed: UInt64 = 0,
            classifier: WeightedKNN? = nil
        ) {
            self.ways = ways
            self.shots = shots
            self.queriesPerClass = queriesPerClass
            self.episodes = episodes
            self.seed = seed
            self.classifier = classifier ?? WeightedKNN(neighbours: ways * shots)
        }
    }

    public struct Episode: Sendable, Equatable {
        /// The episode's classes (original label values), in episode order.
        public var classes: [Int]
        /// Indices of support and query rows, each paired with its episode class 0..<ways.
        public var support: [(row: Int, label: Int)]
        public var queries: [(row: Int, label: Int)]

        public static func == (a: Episode, b: Episode) -> Bool {
            a.classes == b.classes && a.support.elementsEqual(b.support, by: ==)
                && a.queries.elementsEqual(b.queries, by: ==)
        }
    }

    /// The episodes for `labels`, a pure function of the labels and options. Only classes with at
    /// least shots + 1 images take part.
    public static func episodes(labels: [Int], options: Options) throws(EvaluationError) -> [Episode] {
        var byClass: [Int: [Int]] = [:]
        for (row, label) in labels.enumerated() { byClass[label, default: []].append(row) }
        let eligible = byClass.keys.sorted().filter { byClass[$0]!.count >= options.shots + 1 }
        guard options.ways >= 2, options.shots >= 1, options.queriesPerClass >= 1, options.episodes >= 1 else {
            throw EvaluationError(description: "few-shot needs at least 2 ways, 1 shot, 1 query and 1 episode")
        }
        guard eligible.count >= options.ways else {
            throw EvaluationError(
                description:
                    "few-shot \(options.ways)-way \(options.shots)-shot needs \(options.ways) classes with at least \(options.shots + 1) images; \(eligible.count) have"
            )
        }
        var generator = SeededGenerator(seed: options.seed ^ 0xFE75_0000)
        return (0..<options.episodes).map { _ in
            var pool = eligible
            pool.shuffle(using: &generator)
            let classes = Array(pool.prefix(options.ways))
            var support: [(row: Int, label: Int)] = [], queries: [(row: Int, label: Int)] = []
            for (episodeLabel, label) in classes.enumerated() {
                var members = byClass[label]!
                members.shuffle(using: &generator)
                support += members.prefix(options.shots).map { ($0, episodeLabel) }
                queries += members.dropFirst(options.shots).prefix(options.queriesPerClass).map { ($0, episodeLabel) }
            }
            return Episode(classes: classes, support: support, queries: queries)
        }
    }

    /// Mean accuracy over the episodes with a 95% normal-approximation interval.
    public static func evaluate(features: [[Float]], labels: [Int], options: Options = Options())
        throws(EvaluationError) -> FewShotResult
    {
        precondition(features.count == labels.count)
        let all = try episodes(labels: labels, options: options)
        let accuracies = all.map { episode -> Double in
            let support = episode.support.map { features[$0.row] }, supportLabels = episode.support.map(\.label)
            let correct = episode.queries.filter { query in
                options.classifier.predict(
                    query: features[query.row], support: support, supportLabels: supportLabels, classCount: options.ways
                ) == query.label
            }.count
            return Double(correct) / Double(episode.queries.count)
        }
        let mean = accuracies.reduce(0, +) / Double(accuracies.count)
        let variance =
            accuracies.count > 1
            ? accuracies.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(accuracies.count - 1) : 0
        return FewShotResult(
            accuracy: mean, confidence95: 1.96 * (variance / Double(accuracies.count)).squareRoot(),
            ways: options.ways, shots: options.shots, queriesPerClass: options.queriesPerClass,
            episodes: options.episodes, neighbours: options.classifier.neighbours,
            temperature: options.classifier.temperature)
    }
}

public struct FewShotResult: Sendable, Codable, Equatable {
    /// Mean over episodes of the fraction of queries classified correctly.
    public var accuracy: Double
    /// Half-width of the 95% interval of that mean.
    public var confidence95: Double
    public var ways: Int
    public var shots: Int
    public var queriesPerClass: Int
    public var episodes: Int
    public var neighbours: Int
    public var temperature: Double
}
