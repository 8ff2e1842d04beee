import Foundation

// Cross-entropy of logits [N, C] against integer labels, averaged over the N rows; log-softmax
// and NLL fused. Forward keeps the probabilities; backward is (p − onehot(label))·dy/N.

extension Tape {
    public func crossEntropy(_ logits: Tensor, labels: [Int32]) -> Tensor {
        precondition(
            logits.rank == 2 && labels.count == logits.shape[0],
            "crossEntropy: need logits [N, C] and N labels; got \(logits.shape) and \(labels.count)")
        let rows = logits.shape[0], classes = logits.shape[1]
        let out = output(shape: [], input: logits)
        let probabilities = scratch(count: rows * classes)
        let px = logits.data
        var total = 0.0
        for r in 0..<rows {
            let label = Int(labels[r])
            precondition(label >= 0 && label < classes, "crossEntropy: label \(label) outside 0..<\(classes)")
            let xr = px + r * classes, pr = probabilities + r * classes
            var maxValue = -Float.infinity
            for c in 0..<classes { maxValue = max(maxValue, xr[c]) }
            var sum: Float = 0
            for c in 0..<classes { let e = expf(xr[c] - maxValue); pr[c] = e; sum += e }
            let inverse = 1 / sum
            for c in 0..<classes { pr[c] *= inverse }
            // −log p[label] from the logits directly, which stays finite when p underflows.
            total += Double(logf(sum) + maxValue - xr[label])
        }
        out.data[0] = Float(total / Double(max(rows, 1)))
        record(out) { [self] dout in
            let dx = gradient(of: logits)
            let share = dout[0] / Float(max(rows, 1))
            for r in 0..<rows {
                let pr = probabilities + r * classes, dxr = dx + r * classes
                for c in 0..<classes { dxr[c] += pr[c] * share }
                dxr[Int(labels[r])] -= share
            }
        }
        return out
    }
}
