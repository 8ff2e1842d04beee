import CLIPEval
import Foundation

/// results.md: every metric of both runs side by side, the rewrites, the plots and the settings.
enum ResultsMarkdown {
    static func render(options: ExperimentOptions, clip: EvaluationReport, laclip: EvaluationReport, finalLosses: [Double],
                       zeroShotCurves: [[(step: Int, top1: Double)]], rewrites: RewriteSummary, seconds: [String: Double]) -> String {
        var lines = ["# CLIP vs LaCLIP in miniature", ""]
        lines.append("Same synthetic data, seed (\(options.seed)), model, batch size (\(options.batchSize)) and steps (\(options.steps)); LaCLIP samples each caption uniformly from the original and its \(rewrites.styles.count) LLM rewrites. Held-out set: \(clip.zeroShot.imageCount) images, \(clip.zeroShot.classCount) classes (chance top-1 \(String(format: "%.1f%%", 100 / Double(max(clip.zeroShot.classCount, 1))))).")
        lines += ["", "| metric | CLIP | LaCLIP | Δ |", "| --- | ---: | ---: | ---: |"]
        func percentRow(_ name: String, _ a: Double?, _ b: Double?) {
            guard let a, let b else { return }
            lines.append(String(format: "| %@ | %.1f%% | %.1f%% | %+.1f |", name, 100 * a, 100 * b, 100 * (b - a)))
        }
        func plainRow(_ name: String, _ a: Double?, _ b: Double?) {
            guard let a, let b else { return }
            lines.append(String(format: "| %@ | %.2f | %.2f | %+.2f |", name, a, b, b - a))
        }
        percentRow("zero-shot top-1", clip.zeroShot.top1, laclip.zeroShot.top1)
        percentRow("zero-shot top-5", clip.zeroShot.top5, laclip.zeroShot.top5)
        for (name, pick) in [("image→text", \RetrievalResult.imageToText), ("text→image", \RetrievalResult.textToImage)] {
            let a = clip.retrieval?[keyPath: pick], b = laclip.retrieval?[keyPath: pick]
            percentRow("\(name) R@1", a?.recallAt1, b?.recallAt1)
            percentRow("\(name) R@5", a?.recallAt5, b?.recallAt5)
            percentRow("\(name) R@10", a?.recallAt10, b?.recallAt10)
            plainRow("\(name) mean rank (lower is better)", a?.meanRank, b?.meanRank)
            plainRow("\(name) median rank (lower is better)", a?.medianRank, b?.medianRank)
        }
        percentRow("linear probe (test)", clip.linearProbe?.testAccuracy, laclip.linearProbe?.testAccuracy)
        if let a = clip.fewShot, let b = laclip.fewShot {
            percentRow("\(a.ways)-way \(a.shots)-shot kNN (±\(String(format: "%.1f", 100 * max(a.confidence95, b.confidence95))))", a.accuracy, b.accuracy)
        }
        plainRow("training loss, last 20 steps", finalLosses[0], finalLosses[1])
        lines += ["", "![training loss](loss.svg)", "", "![zero-shot top-1 over training](zero-shot.svg)", ""]
        lines += ["## Zero-shot top-1 over training", "", "| step | CLIP | LaCLIP |", "| ---: | ---: | ---: |"]
        for (a, b) in zip(zeroShotCurves[0], zeroShotCurves[1]) {
            lines.append(String(format: "| %d | %.1f%% | %.1f%% |", a.step, 100 * a.top1, 100 * b.top1))
        }
        lines += ["", "## Rewrites", "", "\(rewrites.rows) training captions, \(String(format: "%.1f", rewrites.originalMeanWords)) words on average.", ""]
        lines += ["| style | usable (≥ 2 words) | same as original | mean words |", "| --- | ---: | ---: | ---: |"]
        for s in rewrites.styles {
            lines.append(String(format: "| %@ | %.1f%% | %.1f%% | %.1f |", s.name, 100 * s.usable, 100 * s.sameAsOriginal, s.meanWords))
        }
        lines += ["", "Examples (original, then one rewrite per style):", ""]
        for example in rewrites.examples {
            lines.append("- " + example.map { "`\($0.replacingOccurrences(of: "`", with: "'"))`" }.joined(separator: " → "))
        }
        lines += ["", "## Time", "", "| phase | seconds |", "| --- | ---: |"]
        for (name, value) in seconds.sorted(by: { $0.key < $1.key }) { lines.append(String(format: "| %@ | %.1f |", name, value)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let settings = (try? encoder.encode(options)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        lines += ["", "## Settings", "", "```json", settings, "```", ""]
        return lines.joined(separator: "\n")
    }
}
