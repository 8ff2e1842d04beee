import Foundation
import Ingest

/// The lines `laclip enqueue` prints when it is done.
struct EnqueueSummary {
    let report: EnqueueReport
    let job: String

    var text: String {
        var lines: [String] = []
        let rate = report.seconds > 0 ? Double(report.captions) / report.seconds : 0
        let layouts = Set(report.files.map(\.layout.summary))
        if report.files.count > 1, layouts.count > 1 {
            for file in report.files { lines.append("decided: \(file.path): \(file.layout.summary)") }
        } else {
            lines.append(
                "decided: \(report.layout.summary)\(report.files.count > 1 ? " (each of \(report.files.count) files)" : "")"
            )
        }
        lines.append(
            "\(report.appended ? "appended" : "enqueued") \(report.captions) captions × \(report.styles.count) styles (\(report.styles.joined(separator: ", "))) = \(report.tasks) tasks in \(report.shards) shard\(report.shards == 1 ? "" : "s") [\(String(format: "%.2f", report.seconds)) s, \(Int(rate)) captions/s]"
        )
        let percent = String(format: "%.1f%%", report.duplicateRatio * 100)
        lines.append(
            "duplicates: \(report.duplicates) of \(report.captions) captions (\(percent))\(report.tasks < report.captions * report.styles.count ? ", dedup'd: they share tasks and are fanned out at export" : ", each rewritten (as the paper does); --dedup would share their tasks")"
        )
        if !report.badRows.isEmpty {
            lines.append(
                "skipped \(report.badRows.count) bad row\(report.badRows.count == 1 ? "" : "s"), first: \(report.badRows[0].description)"
            )
            lines.append("see them all with: laclip info --job \(job) --bad-rows")
        }
        lines.append("job: \(job)")
        return lines.joined(separator: "\n")
    }
}
