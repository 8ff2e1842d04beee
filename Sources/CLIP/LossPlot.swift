import Charts
import Foundation

/// A run's loss curve: raw per-step loss in light grey, an exponential moving average on top.
enum LossPlot {
    static func svg(_ records: [MetricsRecord]) -> String {
        guard let first = records.first else {
            return LineChartSVG(title: "Training loss", xLabel: "step", yLabel: "contrastive loss", series: []).render()
        }
        var average = Double(first.loss)
        let smoothing = records.count > 50 ? 0.95 : 0.7
        let smooth = records.map { record -> (x: Double, y: Double) in
            average = smoothing * average + (1 - smoothing) * Double(record.loss)
            return (Double(record.step), average)
        }
        return LineChartSVG(
            title: "Training loss", xLabel: "step", yLabel: "contrastive loss",
            series: [
                .init(
                    name: "", colour: "#bbb", points: records.map { (Double($0.step), Double($0.loss)) }, lineWidth: 1),
                .init(name: "", colour: "#1f77b4", points: smooth, lineWidth: 2),
            ], yIncludes: [0]
        ).render(width: 720, height: 360)
    }
}
