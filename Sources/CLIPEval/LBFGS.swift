/// Limited-memory BFGS (Nocedal & Wright, Algorithm 7.5): the two-loop recursion over the last
/// `memory` curvature pairs, the initial Hessian scaled by sᵀy / yᵀy, and a strong-Wolfe line
/// search so every stored pair has sᵀy > 0.
public struct LBFGS: Sendable {
    public struct Options: Sendable, Codable, Equatable {
        public var memory: Int
        public var maximumIterations: Int
        /// Converged when ‖∇f‖∞ ≤ gradientTolerance · max(1, |f|).
        public var gradientTolerance: Double
        /// Converged when an iteration lowers f by less than this relative amount.
        public var valueTolerance: Double

        public init(
            memory: Int = 10, maximumIterations: Int = 500, gradientTolerance: Double = 1e-6,
            valueTolerance: Double = 1e-12
        ) {
            self.memory = memory
            self.maximumIterations = maximumIterations
            self.gradientTolerance = gradientTolerance
            self.valueTolerance = valueTolerance
        }
    }

    public enum Status: String, Sendable, Codable, Equatable {
        case gradientConverged = "gradient_converged"
        case valueConverged = "value_converged"
        case maximumIterations = "maximum_iterations"
        /// No step met the Wolfe conditions (usually: already at the optimum to rounding).
        case lineSearchFailed = "line_search_failed"
    }

    public struct Result: Sendable {
        public var minimizer: [Double]
        public var value: Double
        public var gradientNorm: Double
        public var iterations: Int
        public var evaluations: Int
        public var status: Status
    }

    public var options: Options
    public var lineSearch: WolfeLineSearch

    public init(options: Options = Options(), lineSearch: WolfeLineSearch = WolfeLineSearch()) {
        precondition(options.memory >= 1 && options.maximumIterations >= 0)
        self.options = options
        self.lineSearch = lineSearch
    }

    /// Minimises f from `start`. `objective(x, &gradient)` returns f(x) and writes ∇f(x).
    public func minimize(from start: [Double], objective: ([Double], inout [Double]) -> Double) -> Result {
        let n = start.count
        var x = start
        var gradient = [Double](repeating: 0, count: n)
        var value = objective(x, &gradient)
        var evaluations = 1
        var steps: [[Double]] = [], changes: [[Double]] = [], inverseCurvatures: [Double] = []
        var iteration = 0
        var status = Status.maximumIterations

        var trialPoint = x, trialGradient = gradient
        while true {
            if LBFGS.maxNorm(gradient) <= options.gradientTolerance * max(1, abs(value)) {
                status = .gradientConverged; break
            }
            if iteration >= options.maximumIterations { status = .maximumIterations; break }

            var direction = twoLoop(
                gradient: gradient, steps: steps, changes: changes, inverseCurvatures: inverseCurvatures)
            var slope = LBFGS.dot(gradient, direction)
            if !(slope < 0) {
                // Rounding can spoil the estimate; fall back to steepest descent with no history.
                steps.removeAll(); changes.removeAll(); inverseCurvatures.removeAll()
                direction = gradient.map { -$0 }
                slope = LBFGS.dot(gradient, direction)
            }
            // The first step has no curvature to scale it: a unit step along -g/‖g‖ (N&W §3.5).
            let initialStep = steps.isEmpty ? min(1, 1 / max(LBFGS.dot(gradient, gradient).squareRoot(), 1e-300)) : 1
            let (accepted, used) = lineSearch.search(
                origin: .init(step: 0, value: value, slope: slope), initialStep: initialStep
            ) { alpha in
                for i in 0..<n { trialPoint[i] = x[i] + alpha * direction[i] }
                let v = objective(trialPoint, &trialGradient)
                return (v, LBFGS.dot(trialGradient, direction))
            }
            evaluations += used
            guard let accepted else { status = .lineSearchFailed; break }
            // The search always accepts the point it evaluated last, so the trial buffers hold it.
            let newX = trialPoint, newGradient = trialGradient, newValue = accepted.value
            let s = (0..<n).map { newX[$0] - x[$0] }
            let y = (0..<n).map { newGradient[$0] - gradient[$0] }
            let sy = LBFGS.dot(s, y)
            if sy > 1e-12 * LBFGS.dot(y, y) {
                steps.append(s); changes.append(y); inverseCurvatures.append(1 / sy)
                if steps.count > options.memory {
                    steps.removeFirst(); changes.removeFirst(); inverseCurvatures.removeFirst()
                }
            }
            let decrease = value - newValue
            x = newX; gradient = newGradient
            let previous = value
            value = newValue
            iteration += 1
            if decrease >= 0, decrease <= options.valueTolerance * max(abs(previous), abs(value), 1) {
                status =
                    LBFGS.maxNorm(gradient) <= options.gradientTolerance * max(1, abs(value))
                    ? .gradientConverged : .valueConverged
                break
            }
        }
        return Result(
            minimizer: x, value: value, gradientNorm: LBFGS.dot(gradient, gradient).squareRoot(),
            iterations: iteration, evaluations: evaluations, status: status)
    }

    /// -H·g with H the L-BFGS inverse-Hessian estimate (Algorithm 7.4).
    private func twoLoop(gradient: [Double], steps: [[Double]], changes: [[Double]], inverseCurvatures: [Double])
        -> [Double]
    {
        var q = gradient
        var alphas = [Double](repeating: 0, count: steps.count)
        for i in stride(from: steps.count - 1, through: 0, by: -1) {
            alphas[i] = inverseCurvatures[i] * LBFGS.dot(steps[i], q)
            for j in q.indices { q[j] -= alphas[i] * changes[i][j] }
        }
        if let s = steps.last, let y = changes.last {
            let scale = LBFGS.dot(s, y) / LBFGS.dot(y, y)
            for j in q.indices { q[j] *= scale }
        }
        for i in steps.indices {
            let beta = inverseCurvatures[i] * LBFGS.dot(changes[i], q)
            for j in q.indices { q[j] += (alphas[i] - beta) * steps[i][j] }
        }
        return q.map { -$0 }
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }

    static func maxNorm(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }
}
