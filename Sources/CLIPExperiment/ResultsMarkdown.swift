import CLIPEval
import Foundation
import Monitor

/// results.md: every metric of every arm side by side (differences against CLIP in brackets),
/// the rewrites, the plots and the settings.
enum ResultsMarkdown {
    static func render(
        options: ExperimentOptions, arms: [ExperimentResult.Arm], rewrites: RewriteSummary, job: StatusReport,
        seconds: [String: Double]
    ) -> String {
        let reports = arms.map(\.report), baseline = reports[0]
        var lines = ["# CLIP vs LaCLIP in miniature", ""]
        lines.append(
            "Same synthetic images (data seed \(options.seed)), training seed (\(options.effectiveTrainingSeed)), model, tokenizer, batch size (\(options.batchSize)) and steps (\(options.steps)) for every run; only the captions a step may sample differ. Held-out set: \(baseline.zeroShot.imageCount) images, \(baseline.zeroShot.classCount) classes (chance top-1 \(String(format: "%.1f%%", 100 / Double(max(baseline.zeroShot.classCount, 1)))))."
        )
        lines.append("")
        for arm in arms { lines.append("- **\(arm.label)**: \(arm.about).") }
        lines += [
            "", "| metric | " + arms.map(\.label).joined(separator: " | ") + " |",
            "| --- |" + String(repeating: " ---: |", count: arms.count),
        ]
        func row(_ name: String, _ values: [Double?], percent: Bool) {
            guard let first = values[0], values.allSatisfy({ $0 != nil }) else { return }
            let scale = percent ? 100.0 : 1.0
            let cells = values.enumerated().map { index, value -> String in
                let text = String(format: percent ? "%.1f%%" : "%.2f", scale * value!)
                return index == 0
                    ? text : text + String(format: percent ? " (%+.1f)" : " (%+.2f)", scale * (value! - first))
            }
            lines.append("| \(name) | " + cells.joined(separator: " | ") + " |")
        }
        row("zero-shot top-1", reports.map(\.zeroShot.top1), percent: true)
        row("zero-shot top-5", reports.map(\.zeroShot.top5), percent: true)
        for (name, pick) in [
            ("image→text", \RetrievalResult.imageToText), ("text→image", \RetrievalResult.textToImage),
        ] {
            let results = reports.map { $0.retrieval?[keyPath: pick] }
            row("\(name) R@1", results.map { $0?.recallAt1 }, percent: true)
            row("\(name) R@5", results.map { $0?.recallAt5 }, percent: true)
            row("\(name) R@10", results.map { $0?.recallAt10 }, percent: true)
            row("\(name) mean rank (lower is better)", results.map { $0?.meanRank }, percent: false)
            row("\(name) median rank (lower is better)", results.map { $0?.medianRank }, percent: false)
        }
        row("linear probe (test)", reports.map { $0.linearProbe?.testAccuracy }, percent: true)
        if let few = baseline.fewShot {
            let margin = reports.compactMap { $0.fewShot?.confidence95 }.max() ?? 0
            row(
                "\(few.ways)-way \(few.shots)-shot kNN (±\(String(format: "%.1f", 100 * margin)))",
                reports.map { $0.fewShot?.accuracy }, percent: true)
        }
        row(
            "training loss, last 20 steps",
            arms.map { Double($0.losses.suffix(20).reduce(0, +)) / Double(max(1, min(20, $0.losses.count))) },
            percent: false)
        lines += ["", "![training loss](loss.svg)", "", "![zero-shot top-1 over training](zero-shot.svg)", ""]
        lines += [
            "## Zero-shot top-1 over training", "", "| step | " + arms.map(\.label).joined(separator: " | ") + " |",
            "| ---: |" + String(repeating: " ---: |", count: arms.count),
        ]
        for (index, point) in arms[0].zeroShot.enumerated() {
            let cells = arms.map {
                $0.zeroShot.indices.contains(index) ? String(format: "%.1f%%", 100 * $0.zeroShot[index].top1) : ""
            }
            lines.append("| \(point.step) | " + cells.joined(separator: " | ") + " |")
        }
        lines += [
            "", "## Rewrites", "",
            "\(rewrites.rows) training captions, \(String(format: "%.1f", rewrites.originalMeanWords)) words on average. \"Keeps concepts\": the rewrite names every colour and shape word its original names.",
            "",
        ]
        var jobLine =
            "The job: \(job.totals.done) rewrites done, \(job.totals.dead) dead-lettered (the export puts the original caption in their place)"
        if let rate = job.throughput.sinceStart.rewritesPerSecond {
            jobLine += String(
                format: "; first to last rewrite %.0f s, %.2f rewrites/s", job.throughput.sinceStart.seconds, rate)
        }
        lines += [jobLine + ".", ""]
        lines.append(
            "Fidelity is laclip's lexical score (the share of the caption's content words a rewrite keeps), median and 10th percentile; \"guarded → original\": rewrites under --min-fidelity \(options.effectiveMinFidelity) that the guarded arm replaces by the original; \"re-sampled\": tasks the run re-sampled, for any rejection (for fidelity only when it ran with --min-fidelity)."
        )
        lines += [
            "",
            "| style | usable (≥ 2 words) | keeps concepts | same as original | mean words | fidelity median | fidelity p10 | guarded → original | re-sampled |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for s in rewrites.styles {
            let f = job.fidelity.first { $0.style == s.name }
            let median = f?.median.map { String(format: "%.2f", $0) } ?? "–"
            let p10 = f?.p10.map { String(format: "%.2f", $0) } ?? "–"
            let resampled =
                f.map { String(format: "%.1f%%", 100 * Double($0.resampledTasks) / Double(max(rewrites.rows, 1))) }
                ?? "–"
            lines.append(
                String(
                    format: "| %@ | %.1f%% | %.1f%% | %.1f%% | %.1f | %@ | %@ | %.1f%% | %@ |", s.name, 100 * s.usable,
                    100 * s.keepsConcepts, 100 * s.sameAsOriginal, s.meanWords, median, p10, 100 * s.guardedToOriginal,
                    resampled))
        }
        lines += ["", "Examples (original, then one rewrite per style):", ""]
        for example in rewrites.examples {
            lines.append(
                "- " + example.map { "`\($0.replacingOccurrences(of: "`", with: "'"))`" }.joined(separator: " → "))
        }
        lines += ["", "## Time of this invocation", "", "| phase | seconds |", "| --- | ---: |"]
        for (name, value) in seconds.sorted(by: { $0.key < $1.key }) {
            lines.append(String(format: "| %@ | %.1f |", name, value))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let settings = (try? encoder.encode(options)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        lines += ["", "## Settings", "", "```json", settings, "```", ""]
        return lines.joined(separator: "\n")
    }
}
