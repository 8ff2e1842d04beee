import Foundation

/// A small self-contained SVG line chart: named series over a shared x axis, round-number
/// ticks, the legend beside the plot (so no curve hides under it), and optional dashed
/// reference lines such as chance accuracy.
public struct LineChartSVG: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var colour: String
        public var points: [(x: Double, y: Double)]
        public var lineWidth: Double

        public init(name: String, colour: String, points: [(x: Double, y: Double)], lineWidth: Double = 1.5) {
            self.name = name
            self.colour = colour
            self.points = points
            self.lineWidth = lineWidth
        }
    }

    public struct Reference: Sendable {
        public var y: Double
        public var label: String

        public init(y: Double, label: String) {
            self.y = y
            self.label = label
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// Values the y axis must include (e.g. 0 for accuracies); the axis then widens to round ticks.
    public var yIncludes: [Double]
    public var references: [Reference]

    public init(
        title: String, xLabel: String, yLabel: String, series: [Series], yIncludes: [Double] = [],
        references: [Reference] = []
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.yIncludes = yIncludes
        self.references = references
    }

    public func render(width: Double = 760, height: Double = 400) -> String {
        let legendWidth = series.contains { !$0.name.isEmpty } ? 190.0 : 0
        let left = 72.0, right = 20.0 + legendWidth, top = 40.0, bottom = 50.0
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let xAxis = Axis(values: all.map(\.x))
        let yAxis = Axis(values: all.map(\.y) + yIncludes + references.map(\.y))
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func px(_ x: Double) -> Double { left + (x - xAxis.low) / (xAxis.high - xAxis.low) * plotWidth }
        func py(_ y: Double) -> Double { top + (1 - (y - yAxis.low) / (yAxis.high - yAxis.low)) * plotHeight }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(left + plotWidth / 2))" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>

            """
        for y in yAxis.ticks {
            svg +=
                "<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(py(y)))\" y2=\"\(f(py(y)))\" stroke=\"#eee\"/>\n"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(py(y) + 4))\" text-anchor=\"end\">\(yAxis.label(y))</text>\n"
        }
        for x in xAxis.ticks {
            svg +=
                "<text x=\"\(f(px(x)))\" y=\"\(f(top + plotHeight + 18))\" text-anchor=\"middle\">\(xAxis.label(x))</text>\n"
        }
        svg +=
            "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#999\"/>\n"
        svg +=
            "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 10))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        svg +=
            "<text transform=\"translate(16 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        for reference in references {
            svg +=
                "<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(py(reference.y)))\" y2=\"\(f(py(reference.y)))\" stroke=\"#777\" stroke-dasharray=\"5 4\"/>\n"
            svg +=
                "<text x=\"\(f(left + plotWidth - 4))\" y=\"\(f(py(reference.y) - 4))\" text-anchor=\"end\" fill=\"#555\">\(escape(reference.label))</text>\n"
        }
        var legendRow = 0
        for s in series {
            let points = s.points.filter { $0.x.isFinite && $0.y.isFinite }.map { "\(f(px($0.x))),\(f(py($0.y)))" }
                .joined(separator: " ")
            svg +=
                "<polyline fill=\"none\" stroke=\"\(s.colour)\" stroke-width=\"\(f(s.lineWidth))\" points=\"\(points)\"/>\n"
            guard !s.name.isEmpty else { continue }
            let lx = left + plotWidth + 14, ly = top + 12 + Double(legendRow) * 18
            svg +=
                "<line x1=\"\(f(lx))\" x2=\"\(f(lx + 20))\" y1=\"\(f(ly - 4))\" y2=\"\(f(ly - 4))\" stroke=\"\(s.colour)\" stroke-width=\"2\"/>\n"
            svg += "<text x=\"\(f(lx + 26))\" y=\"\(f(ly))\">\(escape(s.name))</text>\n"
            legendRow += 1
        }
        return svg + "</svg>\n"
    }

    /// An axis from round number to round number with about five ticks a step of 1, 2, 2.5 or 5
    /// times a power of ten apart.
    struct Axis {
        var low: Double
        var high: Double
        var step: Double

        init(values: [Double]) {
            var low = values.min() ?? 0, high = values.max() ?? 1
            if high - low < 1e-12 { low -= 0.5; high += 0.5 }
            let rough = (high - low) / 5, magnitude = pow(10, floor(log10(rough)))
            step = [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
            self.low = floor(low / step + 1e-9) * step
            self.high = ceil(high / step - 1e-9) * step
        }

        var ticks: [Double] {
            let count = Int(((high - low) / step).rounded())
            return (0...count).map { low + Double($0) * step }
        }

        /// As many decimals as the step needs, no more.
        func label(_ value: Double) -> String {
            let decimals = max(0, Int(ceil(-log10(step) - 1e-9)) + (step / pow(10, floor(log10(step))) == 2.5 ? 1 : 0))
            return String(format: "%.\(decimals)f", abs(value) < step / 1e6 ? 0 : value)
        }
    }
}
