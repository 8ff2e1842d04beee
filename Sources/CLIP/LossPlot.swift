import Foundation

/// The loss curve as a self-contained SVG: raw per-step loss in light grey, an exponential
/// moving average on top, axes with step and loss ticks.
enum LossPlot {
    static func svg(_ records: [MetricsRecord]) -> String {
        let width = 720.0, height = 360.0, left = 60.0, right = 20.0, top = 20.0, bottom = 40.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" width="720" height="360" font-family="sans-serif" font-size="11">"#
        svg += #"<rect width="720" height="360" fill="white"/>"#
        guard let first = records.first, let last = records.last else { return svg + "</svg>\n" }
        let losses = records.map { Double($0.loss) }
        let minLoss = min(losses.min()!, 0), maxLoss = max(losses.max()!, 1e-6)
        let firstStep = Double(first.step), stepSpan = max(Double(last.step) - firstStep, 1)
        func x(_ step: Int) -> Double { left + (Double(step) - firstStep) / stepSpan * plotWidth }
        func y(_ loss: Double) -> Double { top + (1 - (loss - minLoss) / (maxLoss - minLoss)) * plotHeight }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        for i in 0...4 {
            let value = minLoss + (maxLoss - minLoss) * Double(i) / 4
            svg += #"<line x1="\#(f(left))" x2="\#(f(width - right))" y1="\#(f(y(value)))" y2="\#(f(y(value)))" stroke="rgb(238,238,238)"/>"#
            svg += #"<text x="\#(f(left - 6))" y="\#(f(y(value) + 4))" text-anchor="end">\#(String(format: "%.3g", value))</text>"#
            let step = Int((firstStep + stepSpan * Double(i) / 4).rounded())
            svg += #"<text x="\#(f(x(step)))" y="\#(f(height - bottom + 16))" text-anchor="middle">\#(step)</text>"#
        }
        svg += #"<line x1="\#(f(left))" x2="\#(f(left))" y1="\#(f(top))" y2="\#(f(height - bottom))" stroke="black"/>"#
        svg += #"<line x1="\#(f(left))" x2="\#(f(width - right))" y1="\#(f(height - bottom))" y2="\#(f(height - bottom))" stroke="black"/>"#
        svg += #"<text x="\#(f(left + plotWidth / 2))" y="\#(f(height - 6))" text-anchor="middle">step</text>"#
        svg += #"<text x="14" y="\#(f(top + plotHeight / 2))" transform="rotate(-90 14 \#(f(top + plotHeight / 2)))" text-anchor="middle">contrastive loss</text>"#
        let raw = records.map { "\(f(x($0.step))),\(f(y(Double($0.loss))))" }.joined(separator: " ")
        svg += #"<polyline fill="none" stroke="rgb(187,187,187)" stroke-width="1" points="\#(raw)"/>"#
        var average = losses[0]
        let smoothing = records.count > 50 ? 0.95 : 0.7
        let smooth = records.map { record -> String in
            average = smoothing * average + (1 - smoothing) * Double(record.loss)
            return "\(f(x(record.step))),\(f(y(average)))"
        }.joined(separator: " ")
        svg += #"<polyline fill="none" stroke="rgb(31,119,180)" stroke-width="2" points="\#(smooth)"/>"#
        return svg + "</svg>\n"
    }
}
