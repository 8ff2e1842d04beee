import Testing

@testable import Charts

@Suite("SVG line chart")
struct LineChartSVGTests {
    @Test func axesRunFromRoundNumberToRoundNumber() {
        let accuracy = LineChartSVG.Axis(values: [0, 0.5, 4.0])
        #expect(accuracy.step == 1 && accuracy.ticks == [0, 1, 2, 3, 4])
        let steps = LineChartSVG.Axis(values: [15, 60])
        #expect(steps.step == 10 && steps.low == 10 && steps.high == 60)
        let loss = LineChartSVG.Axis(values: [2.31, 3.27])
        #expect(loss.ticks.map(loss.label) == ["2.2", "2.4", "2.6", "2.8", "3.0", "3.2", "3.4"])
        let quarter = LineChartSVG.Axis(values: [0, 1.2])
        #expect(quarter.ticks.map(quarter.label) == ["0.00", "0.25", "0.50", "0.75", "1.00", "1.25"])
        #expect(
            LineChartSVG.Axis(values: [0, 2000]).ticks.map(LineChartSVG.Axis(values: [0, 2000]).label) == [
                "0", "500", "1000", "1500", "2000",
            ])
        // A flat series still gets an axis.
        #expect(LineChartSVG.Axis(values: [7, 7]).ticks.count >= 2)
    }

    @Test func drawsEverySeriesWithALegendEntryAndTheReferenceLine() {
        let chart = LineChartSVG(
            title: "t", xLabel: "step", yLabel: "top-1 (%)",
            series: [
                .init(name: "CLIP", colour: "#1f77b4", points: [(15, 1), (60, 4)]),
                .init(name: "LaCLIP & co", colour: "#d62728", points: [(15, 0.5), (60, 1)]),
            ], yIncludes: [0], references: [.init(y: 2.5, label: "chance 2.5%")])
        let svg = chart.render()
        #expect(svg.components(separatedBy: "<polyline").count == 3)
        #expect(svg.contains(">CLIP</text>") && svg.contains(">LaCLIP &amp; co</text>"))
        #expect(svg.contains("stroke-dasharray") && svg.contains(">chance 2.5%</text>"))
        #expect(svg.contains(">0.0</text>") || svg.contains(">0</text>"))
    }
}
