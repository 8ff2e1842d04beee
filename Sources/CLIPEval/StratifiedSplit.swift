import Seeding
import Tensor

/// A seeded per-class split of labelled rows into train, validation and test indices, so every
/// class keeps its share in each part (the probe's λ is chosen on validation, scored on test).
public struct StratifiedSplit: Sendable, Equatable {
    public var train: [Int]
    public var validation: [Int]
    public var test: [Int]

    /// Per class of n rows: round(n·trainFraction) (at least 1) to train, round(n·validationFraction)
    /// to validation, the rest to test. Indices come out sorted.
    public init(labels: [Int], trainFraction: Double, validationFraction: Double, seed: UInt64) {
        precondition(trainFraction > 0 && validationFraction >= 0 && trainFraction + validationFraction <= 1)
        var generator = SeededGenerator(seed: seed ^ 0x5B11_7000)
        var byClass: [Int: [Int]] = [:]
        for (index, label) in labels.enumerated() { byClass[label, default: []].append(index) }
        var train: [Int] = [], validation: [Int] = [], test: [Int] = []
        for label in byClass.keys.sorted() {
            var members = byClass[label]!
            members.shuffle(using: &generator)
            let n = members.count
            let trainCount = max(1, Int((Double(n) * trainFraction).rounded()))
            let validationCount = min(n - trainCount, Int((Double(n) * validationFraction).rounded()))
            train += members[..<trainCount]
            validation += members[trainCount..<(trainCount + validationCount)]
            test += members[(trainCount + validationCount)...]
        }
        self.train = train.sorted()
        self.validation = validation.sorted()
        self.test = test.sorted()
    }
}
