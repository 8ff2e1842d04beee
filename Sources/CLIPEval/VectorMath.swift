import CBLAS

enum VectorMath {
    static func dot(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "vectors of length \(a.count) and \(b.count)")
        var sum: Float = 0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }

    /// a / ‖a‖ (a zero vector stays zero rather than becoming NaN).
    static func normalized(_ a: [Float]) -> [Float] {
        let norm = dot(a, a).squareRoot()
        return norm > 0 ? a.map { $0 / norm } : a
    }

    /// Dot products of every row of `a` with every row of `b`: [a.count][b.count].
    static func similarities(_ a: [[Float]], _ b: [[Float]]) -> [[Float]] {
        guard let width = a.first?.count, !b.isEmpty else { return a.map { _ in [] } }
        precondition(
            a.allSatisfy { $0.count == width } && b.allSatisfy { $0.count == width }, "embeddings of different widths")
        let left = a.flatMap { $0 }, right = b.flatMap { $0 }
        var out = [Float](repeating: 0, count: a.count * b.count)
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(a.count), Int32(b.count), Int32(width),
            1, left, Int32(width), right, Int32(width), 0, &out, Int32(b.count))
        return (0..<a.count).map { Array(out[($0 * b.count)..<(($0 + 1) * b.count)]) }
    }

    /// 1-based rank of `scores[truth]`: one plus the number of other entries scoring at least as
    /// high, so ties count against the truth (a model that scores everything alike ranks last).
    static func rank(of truth: Int, in scores: [Float]) -> Int {
        let target = scores[truth]
        var rank = 1
        for (i, s) in scores.enumerated() where i != truth && s >= target { rank += 1 }
        return rank
    }
}
