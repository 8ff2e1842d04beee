import Foundation
import Testing

@testable import CLIPEval

@Suite("L-BFGS and the Wolfe line search")
struct OptimizerTests {
    @Test func lineSearchStepSatisfiesStrongWolfe() {
        // φ(α) = (α - 3)² - 9 + α⁴/100 along a descent direction at α = 0.
        func phi(_ a: Double) -> (value: Double, slope: Double) {
            ((a - 3) * (a - 3) - 9 + pow(a, 4) / 100, 2 * (a - 3) + 4 * pow(a, 3) / 100)
        }
        let search = WolfeLineSearch(sufficientDecrease: 1e-4, curvature: 0.1)
        let origin = WolfeLineSearch.Point(step: 0, value: phi(0).value, slope: phi(0).slope)
        for initial in [0.01, 1, 50] {
            let (accepted, _) = search.search(origin: origin, initialStep: initial, phi: phi)
            let p = try! #require(accepted)
            #expect(
                p.value <= origin.value + 1e-4 * p.step * origin.slope,
                "sufficient decrease from initial step \(initial)")
            #expect(abs(p.slope) <= 0.1 * abs(origin.slope), "curvature from initial step \(initial)")
        }
    }

    @Test func reachesTheMinimiserOfAConvexQuadratic() {
        // f(x) = ½ xᵀAx - bᵀx with A = LLᵀ + I (SPD) and b = A·x*, so the minimiser is x*.
        // Only the gradient test may stop it (value tolerance 0).
        let n = 8
        var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n { for j in 0...i { l[i][j] = Double((i * 7 + j * 3) % 5) - 2 } }
        var a = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0..<n {
                var sum: Double = i == j ? 1 : 0
                for k in 0..<n { sum += l[i][k] * l[j][k] }
                a[i][j] = sum
            }
        }
        let solution: [Double] = (0..<n).map { Double($0) - 3.5 }
        let b: [Double] = (0..<n).map { i in (0..<n).reduce(0.0) { $0 + a[i][$1] * solution[$1] } }
        let result = LBFGS(options: .init(gradientTolerance: 1e-9, valueTolerance: 0)).minimize(
            from: [Double](repeating: 0, count: n)
        ) { (x: [Double], g: inout [Double]) -> Double in
            var value = 0.0
            for i in 0..<n {
                var ax = 0.0
                for k in 0..<n { ax += a[i][k] * x[k] }
                g[i] = ax - b[i]
                value += 0.5 * x[i] * ax - b[i] * x[i]
            }
            return value
        }
        #expect(result.status == LBFGS.Status.gradientConverged)
        for i in 0..<n {
            #expect(
                abs(result.minimizer[i] - solution[i]) < 1e-6,
                "coordinate \(i): \(result.minimizer[i]) vs \(solution[i])")
        }
    }

    @Test func solvesRosenbrockFromTheClassicStart() {
        let result = LBFGS(options: .init(maximumIterations: 200, gradientTolerance: 1e-9)).minimize(from: [-1.2, 1]) {
            x, g in
            let (p, q) = (x[0], x[1])
            g[0] = -2 * (1 - p) - 400 * p * (q - p * p)
            g[1] = 200 * (q - p * p)
            return (1 - p) * (1 - p) + 100 * (q - p * p) * (q - p * p)
        }
        #expect(
            abs(result.minimizer[0] - 1) < 1e-5 && abs(result.minimizer[1] - 1) < 1e-5,
            "ended at \(result.minimizer) after \(result.iterations) iterations, \(result.status)")
        #expect(result.iterations < 100)
    }

    @Test func logisticObjectiveGradientMatchesFiniteDifferences() {
        let features = FeatureMatrix(
            rows: 5, columns: 3, values: [0.3, -1, 2, 1, 0.5, -0.2, -0.7, 0.1, 0.4, 0.9, 0.9, -1.5, 0, 0.2, 0.3])
        let objective = LogisticRegression.Objective(
            features: features, labels: [0, 2, 1, 2, 0], classCount: 3, l2: 0.3)
        let point = (0..<12).map { sin(Double($0) * 1.7) }
        var gradient = [Double](repeating: 0, count: 12), scratch = gradient
        _ = objective.evaluate(point, gradient: &gradient)
        for i in 0..<12 {
            var up = point, down = point
            up[i] += 1e-6; down[i] -= 1e-6
            let numeric =
                (objective.evaluate(up, gradient: &scratch) - objective.evaluate(down, gradient: &scratch)) / 2e-6
            #expect(abs(numeric - gradient[i]) < 1e-7, "parameter \(i): analytic \(gradient[i]), numeric \(numeric)")
        }
    }

    @Test func logisticRegressionSeparatesATrainingSetWithFiniteL2() {
        // Three clusters in the plane, around (2,0), (-1,1.7) and (-1,-1.7): linearly separable.
        var rows: [Double] = [], labels: [Int] = []
        let centres = [(2.0, 0.0), (-1.0, 1.7), (-1.0, -1.7)]
        for k in 0..<30 {
            let c = centres[k % 3], angle = Double(k) * 2.4, radius = 0.2 + 0.6 * Double(k % 7) / 7
            rows += [c.0 + radius * cos(angle), c.1 + radius * sin(angle)]
            labels.append(k % 3)
        }
        let features = FeatureMatrix(rows: 30, columns: 2, values: rows)
        let (model, fit) = LogisticRegression.fit(features: features, labels: labels, classCount: 3, l2: 1e-3)
        #expect(model.accuracy(features, labels: labels) == 1)
        #expect(fit.status == .gradientConverged || fit.status == .valueConverged, "\(fit.status)")
        // At the optimum of the penalised loss the gradient vanishes.
        var gradient = [Double](repeating: 0, count: 9)
        _ = LogisticRegression.Objective(features: features, labels: labels, classCount: 3, l2: 1e-3).evaluate(
            model.weights + model.biases, gradient: &gradient)
        #expect(gradient.allSatisfy { abs($0) < 1e-5 }, "gradient \(gradient)")
        // With a finite penalty the weights stay bounded (an unpenalised separable fit diverges).
        #expect(model.weights.allSatisfy { abs($0) < 100 })
    }

    @Test func probeChoosesAStrengthThatDoesNotUnderfit() throws {
        // Two classes separated along the first axis, noise on the second, class 0 twice as
        // common. An enormous λ shrinks W to almost zero, so the unpenalised bias (the log prior)
        // decides and every image is called class 0: validation accuracy 2/3, and it is rejected.
        var embeddings: [[Float]] = [], labels: [Int] = []
        for k in 0..<60 {
            let label = k % 3 == 2 ? 1 : 0
            embeddings.append([
                label == 0 ? 0.3 + 0.01 * Float(k % 5) : -0.3 - 0.01 * Float(k % 5), Float(k % 9) / 9 - 0.5,
            ])
            labels.append(label)
        }
        let result = try LinearProbe.evaluate(
            features: FeatureMatrix(embeddings), labels: labels, classCount: 2,
            options: .init(l2Grid: [1e4, 1e-3]))
        #expect(result.chosenL2 == 1e-3)
        #expect(result.testAccuracy == 1)
        #expect(result.trainCount == 36 && result.validationCount == 12 && result.testCount == 12)
        #expect(abs(result.trials.first { $0.l2 == 1e4 }!.validationAccuracy - 2.0 / 3) < 1e-12)
    }

    @Test func stratifiedSplitKeepsEveryClassInEachPart() {
        let labels = (0..<50).map { $0 % 5 }
        let split = StratifiedSplit(labels: labels, trainFraction: 0.6, validationFraction: 0.2, seed: 3)
        #expect(Set(split.train + split.validation + split.test) == Set(0..<50))
        #expect(split.train.count + split.validation.count + split.test.count == 50)
        for c in 0..<5 {
            #expect(split.train.filter { labels[$0] == c }.count == 6)
            #expect(split.validation.filter { labels[$0] == c }.count == 2)
            #expect(split.test.filter { labels[$0] == c }.count == 2)
        }
        #expect(split == StratifiedSplit(labels: labels, trainFraction: 0.6, validationFraction: 0.2, seed: 3))
        #expect(split != StratifiedSplit(labels: labels, trainFraction: 0.6, validationFraction: 0.2, seed: 4))
    }
}
