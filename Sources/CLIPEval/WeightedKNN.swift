import Foundation

/// Weighted k-nearest-neighbour classification on normalised features: the k support examples
/// of highest cosine similarity each vote for their class with weight exp(similarity / τ)
/// (the weighted kNN of Wu et al. 2018 and DINO, which LaCLIP's few-shot protocol names).
public struct WeightedKNN: Sendable, Codable, Equatable {
    public var neighbours: Int
    public var temperature: Double

    public init(neighbours: Int, temperature: Double = 0.07) {
        precondition(neighbours >= 1 && temperature > 0)
        self.neighbours = neighbours
        self.temperature = temperature
    }

    /// Summed vote weight per class (0..<classCount). Among equally similar supports the one
    /// listed first counts as nearer.
    public func votes(query: [Float], support: [[Float]], supportLabels: [Int], classCount: Int) -> [Double] {
        precondition(support.count == supportLabels.count && !support.isEmpty)
        let similarities = support.map { Double(VectorMath.dot(query, $0)) }
        let nearest = similarities.indices.sorted {
            similarities[$0] != similarities[$1] ? similarities[$0] > similarities[$1] : $0 < $1
        }
        .prefix(neighbours)
        var votes = [Double](repeating: 0, count: classCount)
        // exp((s - 1)/τ) is exp(s/τ) up to a common factor: same argmax, no overflow for s ≤ 1.
        for i in nearest { votes[supportLabels[i]] += exp((similarities[i] - 1) / temperature) }
        return votes
    }

    /// The class with the most vote weight (the lowest index on an exact tie).
    public func predict(query: [Float], support: [[Float]], supportLabels: [Int], classCount: Int) -> Int {
        let v = votes(query: query, support: support, supportLabels: supportLabels, classCount: classCount)
        var best = 0
        for c in v.indices where v[c] > v[best] { best = c }
        return best
    }
}
