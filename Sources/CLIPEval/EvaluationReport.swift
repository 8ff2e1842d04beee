import Foundation

/// Every metric of one evaluation, as `laclip eval` prints it (table) or writes it (`--json`).
public struct EvaluationReport: Sendable, Codable, Equatable {
    public var checkpoint: String?
    public var trainingStep: Int?
    public var dataSources: [String]
    public var zeroShot: ZeroShotResult
    public var retrieval: RetrievalResult?
    public var linearProbe: LinearProbeResult?
    public var fewShot: FewShotResult?
    /// Sections that could not run, with the reason (e.g. no held-out captions).
    public var skipped: [String: String]
    /// Wall-clock seconds per stage: "embed", "zero_shot", "retrieval", "linear_probe", "few_shot", "total".
    public var seconds: [String: Double]

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A two-column table, accuracies in percent.
    public func table() -> String {
        var rows: [(String, String)] = []
        func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
        rows.append(("zero-shot top-1", percent(zeroShot.top1)))
        rows.append(("zero-shot top-5", percent(zeroShot.top5)))
        if let r = retrieval {
            for (name, d) in [("image→text", r.imageToText), ("text→image", r.textToImage)] {
                rows.append(
                    (
                        "\(name) R@1 / R@5 / R@10",
                        "\(percent(d.recallAt1)) / \(percent(d.recallAt5)) / \(percent(d.recallAt10))"
                    ))
                rows.append(("\(name) mean / median rank", String(format: "%.1f / %.1f", d.meanRank, d.medianRank)))
            }
        }
        if let p = linearProbe {
            rows.append(("linear probe (test)", percent(p.testAccuracy)))
            rows.append(("linear probe λ (validation)", String(format: "%g", p.chosenL2)))
        }
        if let f = fewShot {
            rows.append(
                (
                    "\(f.ways)-way \(f.shots)-shot kNN",
                    "\(percent(f.accuracy)) ± \(String(format: "%.1f", 100 * f.confidence95))"
                ))
        }
        let width = rows.map { $0.0.count }.max() ?? 0
        var lines = ["metric".padding(toLength: width, withPad: " ", startingAt: 0) + "  value"]
        lines.append(String(repeating: "-", count: width + 2 + 24))
        lines += rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
        var notes: [String] = []
        notes.append(
            "zero-shot: \(zeroShot.imageCount) images, \(zeroShot.classCount) classes (chance top-1 \(percent(1 / Double(max(zeroShot.classCount, 1))))), \(zeroShot.templateCount ?? 0) templates"
        )
        if let r = retrieval { notes.append("retrieval: \(r.count) held-out image-caption pairs") }
        if let p = linearProbe {
            notes.append(
                "linear probe: L-BFGS multinomial logistic regression, \(p.trainCount)/\(p.validationCount)/\(p.testCount) train/validation/test images, λ grid "
                    + p.trials.map { String(format: "%g", $0.l2) }.joined(separator: ", "))
        }
        if let f = fewShot {
            notes.append(
                "few-shot: \(f.episodes) episodes, \(f.queriesPerClass) queries per class, weighted kNN k=\(f.neighbours) τ=\(f.temperature)"
            )
        }
        for (section, reason) in skipped.sorted(by: { $0.key < $1.key }) {
            notes.append("skipped \(section): \(reason)")
        }
        if let total = seconds["total"] { notes.append(String(format: "evaluated in %.2f s", total)) }
        return (lines + [""] + notes).joined(separator: "\n")
    }
}
