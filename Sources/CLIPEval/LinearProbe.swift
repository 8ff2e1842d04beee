/// CLIP's linear-probe protocol on frozen image features: fit a multinomial logistic regression
/// (L-BFGS) on a train split for each L2 strength of a small grid, keep the strength with the
/// best validation accuracy (ties: lower validation cross-entropy), refit on train + validation
/// and report accuracy on the untouched test split.
public enum LinearProbe {
    public struct Options: Sendable, Codable, Equatable {
        /// λ in mean cross-entropy + (λ/2)‖W‖².
        public var l2Grid: [Double]
        public var trainFraction: Double
        public var validationFraction: Double
        public var seed: UInt64
        public var optimizer: LBFGS.Options

        public init(
            l2Grid: [Double] = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1],
            trainFraction: Double = 0.6, validationFraction: Double = 0.2, seed: UInt64 = 0,
            optimizer: LBFGS.Options = LBFGS.Options(maximumIterations: 1000)
        ) {
            self.l2Grid = l2Grid
            self.trainFraction = trainFraction
            self.validationFraction = validationFraction
            self.seed = seed
            self.optimizer = optimizer
        }
    }

    /// Evaluates the probe on `features` (one row per labelled image). Fails when a split is empty.
    public static func evaluate(features: FeatureMatrix, labels: [Int], classCount: Int, options: Options = Options())
        throws(EvaluationError) -> LinearProbeResult
    {
        guard !options.l2Grid.isEmpty, options.l2Grid.allSatisfy({ $0 >= 0 }) else {
            throw EvaluationError(description: "the L2 grid must hold non-negative strengths")
        }
        let split = StratifiedSplit(
            labels: labels, trainFraction: options.trainFraction, validationFraction: options.validationFraction,
            seed: options.seed)
        guard !split.validation.isEmpty, !split.test.isEmpty else {
            throw EvaluationError(
                description:
                    "linear probe: \(labels.count) labelled images are too few for train, validation and test splits")
        }
        let optimizer = LBFGS(options: options.optimizer)
        let trainX = features.rows(split.train), trainY = split.train.map { labels[$0] }
        let validationX = features.rows(split.validation), validationY = split.validation.map { labels[$0] }
        var trials: [LinearProbeResult.Trial] = []
        for l2 in options.l2Grid {
            let (model, fit) = LogisticRegression.fit(
                features: trainX, labels: trainY, classCount: classCount, l2: l2, optimizer: optimizer)
            trials.append(
                .init(
                    l2: l2, validationAccuracy: model.accuracy(validationX, labels: validationY),
                    validationLoss: model.crossEntropy(validationX, labels: validationY),
                    iterations: fit.iterations, status: fit.status))
        }
        let best = trials.min { a, b in
            a.validationAccuracy != b.validationAccuracy
                ? a.validationAccuracy > b.validationAccuracy : a.validationLoss < b.validationLoss
        }!
        let final = (split.train + split.validation).sorted()
        let finalX = features.rows(final), finalY = final.map { labels[$0] }
        let (model, fit) = LogisticRegression.fit(
            features: finalX, labels: finalY, classCount: classCount, l2: best.l2, optimizer: optimizer)
        let testX = features.rows(split.test), testY = split.test.map { labels[$0] }
        return LinearProbeResult(
            testAccuracy: model.accuracy(testX, labels: testY), trainAccuracy: model.accuracy(finalX, labels: finalY),
            chosenL2: best.l2, trials: trials, trainCount: split.train.count, validationCount: split.validation.count,
            testCount: split.test.count, finalIterations: fit.iterations, finalStatus: fit.status)
    }
}

public struct LinearProbeResult: Sendable, Codable, Equatable {
    public struct Trial: Sendable, Codable, Equatable {
        public var l2: Double
        public var validationAccuracy: Double
        public var validationLoss: Double
        public var iterations: Int
        public var status: LBFGS.Status
    }

    /// Accuracy on the test split of the model refitted on train + validation with `chosenL2`.
    public var testAccuracy: Double
    /// That model's accuracy on the rows it was fitted on.
    public var trainAccuracy: Double
    public var chosenL2: Double
    public var trials: [Trial]
    public var trainCount: Int
    public var validationCount: Int
    public var testCount: Int
    public var finalIterations: Int
    public var finalStatus: LBFGS.Status
}
