import Foundation

/// What a `laclip run` did.
public struct RunSummary: Sendable {
    public var completed = 0
    public var failedByReason: [String: Int] = [:]
    public var deadLettered = 0
    public var resamples = 0
    /// Re-samples of valid rewrites that scored under `--min-fidelity`.
    public var contentResamples = 0
    /// Rewrites kept under `--min-fidelity`, the best of samples that all fell short.
    public var belowThreshold = 0
    public var promptTokens = 0
    public var completionTokens = 0
    public var seconds = 0.0
    public var styleCount = 1
    public var interrupted = false
    public var finalConcurrency = 0
    public var remainingPending = 0

    public var rewritesPerSecond: Double { seconds > 0 ? Double(completed) / seconds : 0 }
    /// A caption is done when all its styles are: rewrites/s divided by the styles per caption.
    public var captionsPerSecond: Double { rewritesPerSecond / Double(max(styleCount, 1)) }
    public var completionTokensPerSecond: Double { seconds > 0 ? Double(completionTokens) / seconds : 0 }

    public var text: String {
        var lines: [String] = []
        lines.append(
            "\(interrupted ? "interrupted" : "finished"): \(completed) rewrites done in \(String(format: "%.1f", seconds)) s "
                + "(\(String(format: "%.2f", captionsPerSecond)) captions/s, \(String(format: "%.2f", rewritesPerSecond)) rewrites/s, "
                + "\(String(format: "%.1f", completionTokensPerSecond)) generated tokens/s, concurrency \(finalConcurrency))"
        )
        let failures = failedByReason.values.reduce(0, +)
        if failures > 0 {
            let reasons = failedByReason.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(
                separator: ", ")
            lines.append("failed attempts: \(failures) (\(reasons)); dead-lettered: \(deadLettered)")
        }
        if resamples > 0 {
            lines.append(
                "re-sampled after validation: \(resamples)"
                    + (contentResamples > 0 ? " (\(contentResamples) of them drops_content)" : ""))
        }
        if belowThreshold > 0 {
            lines.append("kept under --min-fidelity after every re-sample fell short: \(belowThreshold)")
        }
        if remainingPending > 0 { lines.append("still pending: \(remainingPending) (run again to continue)") }
        return lines.joined(separator: "\n")
    }
}
