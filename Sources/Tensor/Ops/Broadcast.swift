/// Thrown when two shapes cannot be broadcast together.
public struct BroadcastError: Error, Sendable, Equatable, CustomStringConvertible {
    public var left: [Int]
    public var right: [Int]
    public var description: String { "shapes \(left) and \(right) cannot be broadcast together" }
}

/// NumPy broadcasting: align shapes at their last dimension; each aligned pair must be equal or
/// contain a 1; missing leading dimensions count as 1.
public enum Broadcast {
    public static func shape(_ left: [Int], _ right: [Int]) throws(BroadcastError) -> [Int] {
        let rank = max(left.count, right.count)
        var result = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let l = axis < rank - left.count ? 1 : left[axis - (rank - left.count)]
            let r = axis < rank - right.count ? 1 : right[axis - (rank - right.count)]
            guard l == r || l == 1 || r == 1 else { throw BroadcastError(left: left, right: right) }
            result[axis] = l == 1 ? r : l
        }
        return result
    }

    /// Element strides of `shape` seen from `outputShape`: zero along broadcast dimensions.
    static func strides(of shape: [Int], in outputShape: [Int]) -> [Int] {
        let rank = outputShape.count
        var strides = [Int](repeating: 0, count: rank)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            let outAxis = axis + rank - shape.count
            strides[outAxis] = shape[axis] == 1 ? 0 : step
            step *= shape[axis]
        }
        return strides
    }

    /// Calls `row` once per innermost row of the output with the offsets of that row in the
    /// output and both operands and the operands' innermost strides.
    @inline(__always)
    static func forEachRow(
        outputShape: [Int], leftStrides: [Int], rightStrides: [Int],
        _ row: (_ out: Int, _ left: Int, _ right: Int, _ length: Int, _ leftStride: Int, _ rightStride: Int) -> Void
    ) {
        let rank = outputShape.count
        if rank == 0 { row(0, 0, 0, 1, 0, 0); return }
        let length = outputShape[rank - 1]
        let rows = outputShape.dropLast().reduce(1, *)
        if rows == 0 || length == 0 { return }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: rank) { index in
            index.initialize(repeating: 0)
            var leftOffset = 0, rightOffset = 0
            for r in 0..<rows {
                row(r * length, leftOffset, rightOffset, length, leftStrides[rank - 1], rightStrides[rank - 1])
                // Odometer increment over the outer dimensions, keeping operand offsets in step.
                var axis = rank - 2
                while axis >= 0 {
                    index[axis] += 1
                    leftOffset += leftStrides[axis]
                    rightOffset += rightStrides[axis]
                    if index[axis] < outputShape[axis] { break }
                    leftOffset -= leftStrides[axis] * index[axis]
                    rightOffset -= rightStrides[axis] * index[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
    }
}
