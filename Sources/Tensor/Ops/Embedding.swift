// Embedding lookup: out[i] = table[ids[i]] (a row gather). Backward scatter-adds each output row's
// gradient into the table row it came from, so repeated ids accumulate.

extension Tape {
    /// Looks up `ids` (laid out as `idsShape`) in `table` [V, C] → idsShape + [C].
    public func embedding(_ ids: [Int32], shape idsShape: [Int], table: Tensor) -> Tensor {
        precondition(table.rank == 2, "embedding: table must be [V, C], got \(table.shape)")
        precondition(
            Tensor.elementCount(idsShape) == ids.count, "embedding: \(ids.count) ids do not fill shape \(idsShape)")
        let vocabulary = table.shape[0], channels = table.shape[1]
        let out = output(shape: idsShape + [channels], input: table)
        let pt = table.data, po = out.data
        for (i, id) in ids.enumerated() {
            precondition(id >= 0 && Int(id) < vocabulary, "embedding: id \(id) outside vocabulary of \(vocabulary)")
            (po + i * channels).update(from: pt + Int(id) * channels, count: channels)
        }
        record(out) { [self] dout in
            let dt = gradient(of: table)
            for (i, id) in ids.enumerated() {
                let row = dt + Int(id) * channels, dr = dout + i * channels
                for c in 0..<channels { row[c] += dr[c] }
            }
        }
        return out
    }

    /// Selects one position per sequence: `x` [B, T, ...] and `positions` (B entries) →
    /// [B, ...] with out[b] = x[b, positions[b]] (the text feature at the end-of-text token).
    public func gatherRows(_ x: Tensor, positions: [Int32]) -> Tensor {
        precondition(
            x.rank >= 2 && positions.count == x.shape[0],
            "gatherRows: need [B, T, ...] and B positions; got \(x.shape) and \(positions.count)")
        let steps = x.shape[1]
        let rowSize = x.count / max(x.shape[0] * steps, 1)
        let out = output(shape: [x.shape[0]] + x.shape.dropFirst(2), input: x)
        let px = x.data, po = out.data
        for (b, t) in positions.enumerated() {
            precondition(t >= 0 && Int(t) < steps, "gatherRows: position \(t) outside 0..<\(steps)")
            (po + b * rowSize).update(from: px + (b * steps + Int(t)) * rowSize, count: rowSize)
        }
        record(out) { [self] dout in
            let dx = gradient(of: x)
            for (b, t) in positions.enumerated() {
                let row = dx + (b * steps + Int(t)) * rowSize, dr = dout + b * rowSize
                for c in 0..<rowSize { row[c] += dr[c] }
            }
        }
        return out
    }
}
