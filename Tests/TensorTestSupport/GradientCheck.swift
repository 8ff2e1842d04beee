import Seeding
import Tensor
import Testing

/// Compares the tape's gradients with centred finite differences.
///
/// The output is projected to a scalar L = Σ out·R with a fixed random R (so every output
/// element matters), the analytic gradient comes from `backward(out, seed: R)`, and the numeric
/// one from (L(p+h) − L(p−h)) / 2h with L accumulated in Float64, which keeps the Float32
/// forward's rounding (~1e-7 relative per element) far below the tolerance at h = 1e-2.
/// An entry passes when |analytic − numeric| ≤ tol·max(|analytic|, |numeric|, floor) + noise:
/// the floor (1e-2 of the parameter's largest gradient entry) keeps near-zero entries from
/// dominating, and `noise` bounds the finite difference's own error from the Float32 forward,
/// 8·‖ulp(out)·R‖₂ / 2h. Without it a scalar loss of ~1 makes every numeric derivative
/// uncertain by ~ulp(1)/2h ≈ 6e-6 at h = 1e-2, which is more than 1% of the smaller gradient
/// entries of a whole model. The factor 8 is measured, not guessed: on the mini CLIP loss
/// (~100 Float32 operations) L(p+h) − L(p−h) scatters by up to ~4.4 ulp(L) around the analytic
/// value for entries whose true change is below one ulp, independent of h.
public struct GradientCheckReport: CustomStringConvertible {
    /// Largest |a − n| / max(|a|, |n|, floor) (the plain relative error).
    public var worstError: Float = 0
    public var worstEntry = ""
    /// Largest |a − n| / (tol·max(|a|, |n|, floor) + noise); ≤ 1 passes.
    public var worstRatioToBound: Float = 0
    public var noise: Float = 0
    public var checkedEntries = 0
    public var description: String {
        "max relative error \(worstError) at \(worstEntry); max ratio to bound \(worstRatioToBound) (FD noise bound \(noise)) over \(checkedEntries) entries"
    }
}

public func checkGradients(
    _ parameters: [Tensor], tolerance: Float = 1e-2, step: Float = 1e-2, maxEntriesPerParameter: Int = 48,
    seed: UInt64 = 99,
    _ function: (Tape) -> Tensor
) -> GradientCheckReport {
    let tape = Tape()
    var generator = SeededGenerator(seed: seed)

    zeroGradients(parameters)
    let out = function(tape)
    let projection = (0..<out.count).map { _ in generator.nextNormal() }
    tape.backward(out, seed: projection)
    let analytic = parameters.map { $0.gradient ?? [Float](repeating: 0, count: $0.count) }
    var roundingSquares = 0.0
    for i in 0..<out.count { let r = Double(out[flat: i].ulp) * Double(projection[i]); roundingSquares += r * r }
    let noise = Float(8 * roundingSquares.squareRoot() / (2 * Double(step)))

    func projectedLoss() -> Double {
        tape.reset()
        return tape.withoutRecording {
            let y = function(tape)
            var sum = 0.0
            for i in 0..<y.count { sum += Double(y[flat: i]) * Double(projection[i]) }
            return sum
        }
    }

    var report = GradientCheckReport()
    report.noise = noise
    for (p, parameter) in parameters.enumerated() {
        let scaleOfGradient = analytic[p].map { abs($0) }.max() ?? 0
        let floor = max(scaleOfGradient * 1e-2, 1e-6)
        var indices = Array(0..<parameter.count)
        if indices.count > maxEntriesPerParameter {
            indices.shuffle(using: &generator)
            indices = Array(indices.prefix(maxEntriesPerParameter))
        }
        for i in indices {
            let original = parameter[flat: i]
            parameter[flat: i] = original + step
            let plus = projectedLoss()
            parameter[flat: i] = original - step
            let minus = projectedLoss()
            parameter[flat: i] = original
            let numeric = Float((plus - minus) / (2 * Double(step)))
            let a = analytic[p][i]
            let error = abs(a - numeric) / max(abs(a), abs(numeric), floor)
            let ratio = abs(a - numeric) / (tolerance * max(abs(a), abs(numeric), floor) + noise)
            report.worstRatioToBound = max(report.worstRatioToBound, ratio)
            report.checkedEntries += 1
            if error > report.worstError {
                report.worstError = error
                report.worstEntry =
                    "\(parameter.name.isEmpty ? "input \(p)" : parameter.name)[\(i)] analytic \(a) numeric \(numeric)"
            }
        }
    }
    return report
}

/// A parameter of standard-normal values (inputs to an op under test are parameters so that
/// they receive gradients).
public func randomParameter(_ shape: [Int], _ name: String, seed: UInt64, std: Float = 1, offset: Float = 0) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor(
        parameter: shape, name: name,
        values: (0..<shape.reduce(1, *)).map { _ in generator.nextNormal() * std + offset })
}

/// Max relative difference between two arrays, measured against the larger magnitude with an
/// absolute floor for values near zero.
public func maxRelativeDifference(_ a: [Float], _ b: [Double], floor: Double = 1e-3) -> Double {
    precondition(a.count == b.count, "compared arrays differ in size: \(a.count) vs \(b.count)")
    var worst = 0.0
    for (x, y) in zip(a, b) {
        worst = max(worst, abs(Double(x) - y) / max(abs(Double(x)), abs(y), floor))
    }
    return worst
}
