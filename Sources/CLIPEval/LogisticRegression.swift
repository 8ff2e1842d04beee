import CBLAS
import Foundation

/// Multinomial logistic regression (softmax over classes) on fixed features: CLIP's linear
/// probe. Loss = mean cross-entropy + (λ/2)·‖W‖², the bias not penalised, fitted with L-BFGS.
public struct LogisticRegression: Sendable {
    public let classCount: Int
    public let featureCount: Int
    /// [classCount × featureCount], row-major.
    public var weights: [Double]
    public var biases: [Double]

    public init(classCount: Int, featureCount: Int, weights: [Double], biases: [Double]) {
        precondition(weights.count == classCount * featureCount && biases.count == classCount)
        self.classCount = classCount
        self.featureCount = featureCount
        self.weights = weights
        self.biases = biases
    }

    /// Fits from zero weights. `labels` are class indices in 0..<classCount.
    public static func fit(
        features: FeatureMatrix, labels: [Int], classCount: Int, l2: Double,
        optimizer: LBFGS = LBFGS()
    ) -> (model: LogisticRegression, optimization: LBFGS.Result) {
        let objective = Objective(features: features, labels: labels, classCount: classCount, l2: l2)
        let start = [Double](repeating: 0, count: classCount * (features.columns + 1))
        let result = optimizer.minimize(from: start) { objective.evaluate($0, gradient: &$1) }
        let split = classCount * features.columns
        return (
            LogisticRegression(
                classCount: classCount, featureCount: features.columns,
                weights: Array(result.minimizer[..<split]), biases: Array(result.minimizer[split...])),
            result
        )
    }

    /// Logits [rows × classCount], row-major.
    public func logits(_ features: FeatureMatrix) -> [Double] {
        precondition(
            features.columns == featureCount, "features have \(features.columns) columns, the model \(featureCount)")
        return LogisticRegression.logits(features, weights: weights, biases: biases, classCount: classCount)
    }

    /// The highest-scoring class of each row (the first on a tie).
    public func predict(_ features: FeatureMatrix) -> [Int] {
        let z = logits(features)
        return (0..<features.rows).map { r in
            var best = 0
            for c in 1..<max(classCount, 1) where z[r * classCount + c] > z[r * classCount + best] { best = c }
            return best
        }
    }

    public func accuracy(_ features: FeatureMatrix, labels: [Int]) -> Double {
        guard !labels.isEmpty else { return 0 }
        return Double(zip(predict(features), labels).filter { $0 == $1 }.count) / Double(labels.count)
    }

    /// Mean cross-entropy (no penalty) of the rows.
    public func crossEntropy(_ features: FeatureMatrix, labels: [Int]) -> Double {
        let z = logits(features)
        var total = 0.0
        for r in 0..<features.rows {
            let row = z[(r * classCount)..<((r + 1) * classCount)]
            let top = row.max()!
            total += top + log(row.reduce(0) { $0 + exp($1 - top) }) - row[row.startIndex + labels[r]]
        }
        return total / Double(max(features.rows, 1))
    }

    static func logits(
        _ x: FeatureMatrix, weights: UnsafePointer<Double>, biases: UnsafePointer<Double>, classCount: Int
    ) -> [Double] {
        var z = [Double](repeating: 0, count: x.rows * classCount)
        for r in 0..<x.rows { for c in 0..<classCount { z[r * classCount + c] = biases[c] } }
        guard x.rows > 0, x.columns > 0, classCount > 0 else { return z }
        x.values.withUnsafeBufferPointer { xs in
            // Z[N×C] += X[N×D] · Wᵀ[D×C]
            cblas_dgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(x.rows), Int32(classCount), Int32(x.columns),
                1, xs.baseAddress, Int32(x.columns), weights, Int32(x.columns), 1, &z, Int32(classCount))
        }
        return z
    }

    /// The penalised loss and its gradient over the packed parameters [W (C×D), b (C)].
    struct Objective {
        let features: FeatureMatrix
        let labels: [Int]
        let classCount: Int
        let l2: Double

        init(features: FeatureMatrix, labels: [Int], classCount: Int, l2: Double) {
            precondition(
                labels.count == features.rows && labels.allSatisfy { (0..<classCount).contains($0) },
                "labels must be class indices, one per row")
            precondition(l2 >= 0)
            self.features = features
            self.labels = labels
            self.classCount = classCount
            self.l2 = l2
        }

        func evaluate(_ parameters: [Double], gradient: inout [Double]) -> Double {
            let n = features.rows, d = features.columns, c = classCount, split = c * d
            var probabilities = parameters.withUnsafeBufferPointer { p in
                LogisticRegression.logits(
                    features, weights: p.baseAddress!, biases: p.baseAddress! + split, classCount: c)
            }
            var loss = 0.0
            let inverseN = 1 / Double(max(n, 1))
            // Softmax in place, then P - Y scaled by 1/N: the gradient of the mean loss w.r.t. logits.
            for r in 0..<n {
                let base = r * c
                var top = -Double.infinity
                for k in 0..<c { top = max(top, probabilities[base + k]) }
                let trueLogit = probabilities[base + labels[r]]
                var sum = 0.0
                for k in 0..<c { let e = exp(probabilities[base + k] - top); probabilities[base + k] = e; sum += e }
                loss += top + log(sum) - trueLogit
                for k in 0..<c { probabilities[base + k] = probabilities[base + k] / sum * inverseN }
                probabilities[base + labels[r]] -= inverseN
            }
            loss *= inverseN
            for i in 0..<split { gradient[i] = l2 * parameters[i] }
            if n > 0 && d > 0 {
                features.values.withUnsafeBufferPointer { xs in
                    gradient.withUnsafeMutableBufferPointer { g in
                        // dW[C×D] += Gᵀ[C×N] · X[N×D]
                        cblas_dgemm(
                            CblasRowMajor, CblasTrans, CblasNoTrans, Int32(c), Int32(d), Int32(n),
                            1, probabilities, Int32(c), xs.baseAddress, Int32(d), 1, g.baseAddress, Int32(d))
                    }
                }
            }
            for k in 0..<c {
                var sum = 0.0
                for r in 0..<n { sum += probabilities[r * c + k] }
                gradient[split + k] = sum
            }
            var penalty = 0.0
            for i in 0..<split { penalty += parameters[i] * parameters[i] }
            return loss + 0.5 * l2 * penalty
        }
    }
}

/// Row-major Double features [rows × columns] (the probe works in double precision so that
/// L-BFGS's convergence tests are not swamped by Float rounding).
public struct FeatureMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns)
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public init(_ embeddings: [[Float]]) {
        let columns = embeddings.first?.count ?? 0
        precondition(embeddings.allSatisfy { $0.count == columns }, "embeddings of different lengths")
        self.init(rows: embeddings.count, columns: columns, values: embeddings.flatMap { $0.map(Double.init) })
    }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> FeatureMatrix {
        var picked: [Double] = []
        picked.reserveCapacity(indices.count * columns)
        for i in indices { picked += values[(i * columns)..<((i + 1) * columns)] }
        return FeatureMatrix(rows: indices.count, columns: columns, values: picked)
    }
}
