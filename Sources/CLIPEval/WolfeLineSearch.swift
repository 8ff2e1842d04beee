/// A step length satisfying the strong Wolfe conditions along a descent direction, by the
/// bracketing-then-zoom method of Nocedal & Wright (Numerical Optimization, 2nd ed.,
/// Algorithms 3.5 and 3.6) with safeguarded cubic interpolation.
///
/// Strong Wolfe: φ(α) ≤ φ(0) + c1·α·φ'(0) (sufficient decrease) and |φ'(α)| ≤ c2·|φ'(0)|
/// (curvature). The curvature condition is what keeps L-BFGS's sᵀy positive, so its
/// inverse-Hessian estimate stays positive definite.
public struct WolfeLineSearch: Sendable {
    public var sufficientDecrease: Double
    public var curvature: Double
    public var maximumStep: Double
    public var maximumEvaluations: Int

    public init(
        sufficientDecrease: Double = 1e-4, curvature: Double = 0.9, maximumStep: Double = 1e10,
        maximumEvaluations: Int = 40
    ) {
        precondition(
            0 < sufficientDecrease && sufficientDecrease < curvature && curvature < 1,
            "Wolfe constants need 0 < c1 < c2 < 1")
        self.sufficientDecrease = sufficientDecrease
        self.curvature = curvature
        self.maximumStep = maximumStep
        self.maximumEvaluations = maximumEvaluations
    }

    /// One evaluated trial: step, φ(α) and φ'(α).
    public struct Point: Sendable, Equatable {
        public var step: Double
        public var value: Double
        public var slope: Double
    }

    /// Searches from `initialStep`. `phi(α)` returns (φ(α), φ'(α)); `origin` is α = 0, whose
    /// slope must be negative. Returns the accepted point (always the last one evaluated, so a
    /// caller may keep what `phi` computed for it), or nil when no step satisfying both
    /// conditions was found within the evaluation budget.
    public func search(origin: Point, initialStep: Double, phi: (Double) -> (value: Double, slope: Double)) -> (
        accepted: Point?, evaluations: Int
    ) {
        precondition(origin.slope < 0, "the search direction is not a descent direction")
        var evaluations = 0
        func evaluate(_ step: Double) -> Point {
            evaluations += 1
            let (value, slope) = phi(step)
            return Point(step: step, value: value, slope: slope)
        }
        func decreasesEnough(_ p: Point) -> Bool {
            p.value <= origin.value + sufficientDecrease * p.step * origin.slope
        }
        func flatEnough(_ p: Point) -> Bool { abs(p.slope) <= -curvature * origin.slope }

        var previous = origin
        var step = min(initialStep, maximumStep)
        while evaluations < maximumEvaluations {
            let current = evaluate(step)
            // A non-finite value means the step overshot into overflow: treat it as too long.
            if !current.value.isFinite || !decreasesEnough(current)
                || (evaluations > 1 && current.value >= previous.value)
            {
                return zoom(
                    low: previous, high: current, origin: origin, evaluate: evaluate, evaluations: { evaluations })
            }
            if flatEnough(current) { return (current, evaluations) }
            if current.slope >= 0 {
                return zoom(
                    low: current, high: previous, origin: origin, evaluate: evaluate, evaluations: { evaluations })
            }
            if step >= maximumStep { return (nil, evaluations) }
            previous = current
            step = min(2 * step, maximumStep)
        }
        return (nil, evaluations)
    }

    /// Algorithm 3.6: `low` satisfies sufficient decrease and has the lowest value seen so
    /// far; the interval between `low` and `high` holds steps satisfying strong Wolfe.
    private func zoom(low: Point, high: Point, origin: Point, evaluate: (Double) -> Point, evaluations: () -> Int) -> (
        accepted: Point?, evaluations: Int
    ) {
        var low = low, high = high
        while evaluations() < maximumEvaluations {
            let width = abs(high.step - low.step)
            if width <= 1e-16 * max(1, abs(low.step)) { break }
            let step = WolfeLineSearch.interpolate(low, high)
            let trial = evaluate(step)
            if !trial.value.isFinite || trial.value > origin.value + sufficientDecrease * trial.step * origin.slope
                || trial.value >= low.value
            {
                high = trial
            } else {
                if abs(trial.slope) <= -curvature * origin.slope { return (trial, evaluations()) }
                if trial.slope * (high.step - low.step) >= 0 { high = low }
                low = trial
            }
        }
        return (nil, evaluations())
    }

    /// The minimiser of the cubic through both points' values and slopes, kept at least a
    /// tenth of the interval away from its ends; bisection when the cubic gives nothing usable.
    static func interpolate(_ a: Point, _ b: Point) -> Double {
        let lower = min(a.step, b.step), upper = max(a.step, b.step), width = upper - lower
        let bisection = lower + width / 2
        guard a.value.isFinite, b.value.isFinite, a.slope.isFinite, b.slope.isFinite else { return bisection }
        let d1 = a.slope + b.slope - 3 * (a.value - b.value) / (a.step - b.step)
        let discriminant = d1 * d1 - a.slope * b.slope
        guard discriminant >= 0 else { return bisection }
        let d2 = (b.step > a.step ? 1.0 : -1.0) * discriminant.squareRoot()
        let denominator = b.slope - a.slope + 2 * d2
        guard denominator != 0 else { return bisection }
        let candidate = b.step - (b.step - a.step) * (b.slope + d2 - d1) / denominator
        guard candidate.isFinite, candidate >= lower + 0.1 * width, candidate <= upper - 0.1 * width else {
            return bisection
        }
        return candidate
    }
}
