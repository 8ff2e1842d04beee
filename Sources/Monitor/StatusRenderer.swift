import Foundation

/// Turns a `StatusReport` into the lines of the human display, fitted to a width and a number
/// of lines: shards beyond the room left are summarised on one line.
public struct StatusRenderer: Sendable {
    public var width: Int
    /// Lines available; shards are summarised to fit.
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = max(20, width)
        self.height = max(8, height)
    }

    // Distinct glyphs, so that the bars read without colour too.
    static let doneGlyph: Character = "█", flightGlyph: Character = "▒", pendingGlyph: Character = "·",
        deadGlyph: Character = "×"

    public func lines(_ r: StatusReport) -> [StyledLine] {
        var head: [StyledLine] = []
        var tail: [StyledLine] = []
        let t = r.totals
        var title = StyledLine("laclip status ", .bold)
        title.add(r.job)
        title.add("  \(Self.clock(r.generatedAt))", .dim)
        head.append(title)
        var overall = StyledLine("all   ")
        overall.add(
            contentsOf: bar(
                done: t.done, flight: t.inFlight, pending: t.pending, dead: t.dead, total: t.total,
                width: barWidth))
        overall.add(
            " \(Self.percent(t.done, t.total))  \(Self.count(t.done))/\(Self.count(t.total)) rewrites of \(Self.count(r.captions)) captions"
        )
        head.append(overall)
        var legend = StyledLine("      ")
        legend.add("\(Self.doneGlyph) done \(Self.count(t.done))  ", .green)
        legend.add("\(Self.flightGlyph) in flight \(Self.count(t.inFlight))  ", .yellow)
        legend.add("\(Self.pendingGlyph) pending \(Self.count(t.pending))  ", .dim)
        legend.add("\(Self.deadGlyph) dead \(Self.count(t.dead))", t.dead > 0 ? .red : nil)
        head.append(legend)
        let nameWidth = r.byStyle.map(\.style.count).max() ?? 0
        for style in r.byStyle {
            head.append(
                StyledLine(
                    "  \(style.style.padding(toLength: nameWidth, withPad: " ", startingAt: 0))  \(Self.percent(style.done, style.total)) done \(Self.count(style.done))/\(Self.count(style.total))  in flight \(Self.count(style.inFlight))  pending \(Self.count(style.pending))  dead \(Self.count(style.dead))"
                ))
        }
        if r.fidelity.contains(where: { $0.scored > 0 || $0.resamples > 0 }) {
            head.append(
                StyledLine("fidelity (share of the caption's content words kept; median, 10th percentile):", .dim))
            for f in r.fidelity {
                var line = "  \(f.style.padding(toLength: nameWidth, withPad: " ", startingAt: 0))  "
                line += f.median.map { String(format: "median %.2f  p10 %.2f", $0, f.p10 ?? 0) } ?? "not scored"
                if f.scored > 0 && f.scored < style(r, f.style).done {
                    line += " (\(Self.count(f.scored)) scored: `laclip score`)"
                }
                if f.belowThreshold > 0 { line += "  under --min-fidelity \(Self.count(f.belowThreshold))" }
                if f.resamples > 0 {
                    line +=
                        "  re-sampled \(Self.count(f.resampledTasks)) tasks (\(Self.count(f.resamples)) samples, \(Self.count(f.contentResamples)) drops_content)"
                }
                head.append(StyledLine(line))
            }
        }
        head.append(throughputLine(r))

        tail.append(
            StyledLine(
                "workers: \(r.workers.count) live"
                    + (r.staleLeases > 0 ? ", \(r.staleLeases) stale leases (their worker stopped)" : ""),
                r.workers.isEmpty ? .dim : nil))
        for worker in r.workers.prefix(4) {
            let shards = worker.shards.isEmpty ? "" : " shards \(worker.shards.map(String.init).joined(separator: ","))"
            tail.append(
                StyledLine(
                    "  \(worker.owner):\(shards) \(worker.leases) leases, heartbeat expires in \(DurationText.format(Double(worker.expiresAt - r.generatedAt) / 1000))"
                ))
        }
        if r.workers.count > 4 { tail.append(StyledLine("  … \(r.workers.count - 4) more workers", .dim)) }
        if !r.failures.reasons.isEmpty {
            tail.append(StyledLine("failures: \(Self.count(r.failures.attempts)) failed attempts; top reasons:"))
            for reason in r.failures.reasons {
                var line = StyledLine("  \(reason.reason) ×\(Self.count(reason.count))", .yellow)
                if reason.permanent > 0 { line.add(" (\(reason.permanent) permanent)") }
                line.add(
                    "  e.g. caption \(reason.example.captionId)/\(reason.example.style) attempt \(reason.example.attempt): \(Self.oneLine(reason.example.detail))",
                    .dim)
                tail.append(line)
            }
        }
        if r.dead.total > 0 {
            let reasons = r.dead.byReason.prefix(4).map { "\($0.reason) \(Self.count($0.count))" }.joined(
                separator: ", ")
            tail.append(
                StyledLine(
                    "dead-lettered: \(Self.count(r.dead.total)) tasks (\(reasons)); `laclip retry` requeues them", .red)
            )
            for example in r.dead.examples.prefix(3) {
                tail.append(
                    StyledLine(
                        "  caption \(example.captionId)/\(example.style) after \(example.failures) failures (\(example.lastReason ?? "?")): \(Self.oneLine(example.caption))",
                        .dim))
            }
        }

        let room = height - head.count - tail.count
        return head + shardLines(r.shards, room: max(1, room)) + tail
    }

    private func style(_ r: StatusReport, _ name: String) -> StyleTotals {
        r.byStyle.first { $0.style == name }
            ?? StyleTotals(style: name, done: 0, inFlight: 0, pending: 0, dead: 0, total: 0)
    }

    private var barWidth: Int { max(10, min(40, width - 60)) }

    private func throughputLine(_ r: StatusReport) -> StyledLine {
        let recent = r.throughput.recent, overall = r.throughput.sinceStart
        var line = StyledLine("rate: ")
        line.add(
            "\(Self.rate(recent.captionsPerSecond)) captions/s, \(Self.rate(recent.tokensPerSecond)) tokens/s (last \(Int(recent.seconds.rounded()))s)",
            .cyan)
        line.add(
            "; since start \(Self.rate(overall.captionsPerSecond)) captions/s, \(Self.rate(overall.tokensPerSecond)) tokens/s"
        )
        if r.complete {
            line.add("; complete", .green)
        } else {
            line.add("; ETA \(r.etaSeconds.map(DurationText.format) ?? "unknown (nobody working)")")
        }
        return line
    }

    /// One line per shard while they fit; otherwise the interesting ones (owned or in flight,
    /// then with dead tasks, then partly done) and a summary of the rest.
    func shardLines(_ shards: [ShardStatus], room: Int) -> [StyledLine] {
        guard shards.count > room else { return shards.map(shardLine) }
        let shown = max(0, room - 1)
        func priority(_ s: ShardStatus) -> Int {
            if s.owner != nil || s.inFlight > 0 { return 0 }
            if s.dead > 0 { return 1 }
            if s.done > 0 && s.done + s.dead < s.total { return 2 }
            return 3
        }
        let picked = Set(
            shards.enumerated().sorted { (priority($0.element), $0.offset) < (priority($1.element), $1.offset) }
                .prefix(shown).map(\.offset))
        let rest = shards.enumerated().filter { !picked.contains($0.offset) }.map(\.element)
        let finished = rest.filter { $0.pending + $0.inFlight == 0 }.count
        let untouched = rest.filter { $0.done == 0 && $0.dead == 0 && $0.inFlight == 0 }.count
        let partial = rest.count - finished - untouched
        var lines = shards.enumerated().filter { picked.contains($0.offset) }.map { shardLine($0.element) }
        lines.append(
            StyledLine(
                "… \(rest.count) more shards: \(finished) finished, \(partial) partly done, \(untouched) not started",
                .dim))
        return lines
    }

    func shardLine(_ s: ShardStatus) -> StyledLine {
        var line = StyledLine(s.file.replacingOccurrences(of: ".sqlite", with: "") + " ")
        line.add(
            contentsOf: bar(
                done: s.done, flight: s.inFlight, pending: s.pending, dead: s.dead, total: s.total, width: barWidth))
        line.add(" \(Self.percent(s.done, s.total)) \(Self.count(s.done))/\(Self.count(s.total))")
        if s.inFlight > 0 { line.add(" ▒\(Self.count(s.inFlight))", .yellow) }
        if s.dead > 0 { line.add(" ×\(Self.count(s.dead))", .red) }
        if let owner = s.owner { line.add("  \(owner)", .dim) }
        return line
    }

    /// Cells per state, by largest remainder; any non-zero state gets at least one cell.
    func bar(done: Int, flight: Int, pending: Int, dead: Int, total: Int, width: Int) -> StyledLine {
        let values = [done, flight, dead, pending]
        var cells = Array(repeating: 0, count: 4)
        if total > 0 {
            let exact = values.map { Double($0) / Double(total) * Double(width) }
            cells = exact.map { Int($0) }
            for i in 0..<4 where values[i] > 0 && cells[i] == 0 { cells[i] = 1 }
            while cells.reduce(0, +) > width, let i = cells.indices.max(by: { cells[$0] < cells[$1] }) { cells[i] -= 1 }
            let order = exact.indices.sorted { exact[$0] - Double(Int(exact[$0])) > exact[$1] - Double(Int(exact[$1])) }
            var k = 0
            while cells.reduce(0, +) < width {
                let i = order[k % 4]
                if values[i] > 0 { cells[i] += 1 }
                k += 1
                if k > 64 { cells[3] += width - cells.reduce(0, +) }
            }
        } else {
            cells[3] = width
        }
        var line = StyledLine("▕")
        line.add(String(repeating: Self.doneGlyph, count: cells[0]), .green)
        line.add(String(repeating: Self.flightGlyph, count: cells[1]), .yellow)
        line.add(String(repeating: Self.deadGlyph, count: cells[2]), .red)
        line.add(String(repeating: Self.pendingGlyph, count: cells[3]), .dim)
        line.add("▏")
        return line
    }

    /// The one-line form: what `--watch` prints per interval when stdout is not a terminal.
    public static func plainLine(_ r: StatusReport) -> String {
        let t = r.totals
        var parts = [
            "\(iso(r.generatedAt)) \(percent(t.done, t.total)) done: \(t.done)/\(t.total) rewrites, \(t.inFlight) in flight, \(t.pending) pending, \(t.dead) dead"
        ]
        parts.append(
            "\(rate(r.throughput.recent.captionsPerSecond)) captions/s, \(rate(r.throughput.recent.tokensPerSecond)) tokens/s (last \(Int(r.throughput.recent.seconds.rounded()))s)"
        )
        parts.append(r.complete ? "complete" : "ETA \(r.etaSeconds.map(DurationText.format) ?? "unknown")")
        parts.append("\(r.workers.count) workers")
        return parts.joined(separator: " | ")
    }

    static func percent(_ part: Int, _ total: Int) -> String {
        guard total > 0 else { return "  -  " }
        return String(format: "%5.1f%%", Double(part) / Double(total) * 100)
    }

    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func rate(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value >= 100 ? count(Int(value.rounded())) : String(format: "%.1f", value)
    }

    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    static func clock(_ millis: Int64) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    static func iso(_ millis: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }
}

extension StyledLine {
    mutating func add(contentsOf other: StyledLine) { runs += other.runs }
}
