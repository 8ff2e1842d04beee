import Foundation
import Testing

@testable import Tensor

@Suite("Broadcasting and shape operations")
struct ShapeAndBroadcastTests {
    @Test(arguments: [
        ([2, 3, 4], [4], [2, 3, 4]),
        ([2, 3, 4], [3, 1], [2, 3, 4]),
        ([2, 1, 4], [1, 3, 1], [2, 3, 4]),
        ([5, 1], [1, 6], [5, 6]),
        ([3], [], [3]),
        ([], [], []),
        ([1], [7, 1, 2], [7, 1, 2]),
        ([0, 3], [1, 3], [0, 3]),
    ])
    func compatibleShapes(left: [Int], right: [Int], expected: [Int]) throws {
        #expect(try Broadcast.shape(left, right) == expected)
        #expect(try Broadcast.shape(right, left) == expected)
    }

    @Test(arguments: [([2, 3], [3, 2]), ([4], [3]), ([2, 3, 4], [2, 1, 3]), ([2, 0], [2, 3])])
    func incompatibleShapes(left: [Int], right: [Int]) {
        #expect(throws: BroadcastError(left: left, right: right)) { try Broadcast.shape(left, right) }
    }

    @Test func broadcastValues() {
        let tape = Tape()
        let a = Tensor(parameter: [2, 1, 3], values: [1, 2, 3, 4, 5, 6])
        let b = Tensor(parameter: [2, 1], values: [10, 20])
        let sum = tape.add(a, b)
        #expect(sum.shape == [2, 2, 3])
        #expect(sum.scalars == [11, 12, 13, 21, 22, 23, 14, 15, 16, 24, 25, 26])
        let product = tape.multiply(a, b)
        #expect(product.scalars == [10, 20, 30, 20, 40, 60, 40, 50, 60, 80, 100, 120])
        // Gradient of a broadcast operand is the sum over the dimensions it was repeated along.
        tape.backward(tape.mean(sum))
        #expect(b.gradient == [0.5, 0.5])
        #expect(a.gradient == [Float](repeating: 2.0 / 12, count: 6))
    }

    @Test func permuteConcatReshapeValues() {
        let tape = Tape()
        let x = Tensor(parameter: [2, 3], values: [1, 2, 3, 4, 5, 6])
        #expect(tape.permute(x, [1, 0]).scalars == [1, 4, 2, 5, 3, 6])
        #expect(tape.permute(x, [1, 0]).shape == [3, 2])
        let y = Tensor(parameter: [2, 1], values: [7, 8])
        let joined = tape.concat([x, y], axis: 1)
        #expect(joined.shape == [2, 4])
        #expect(joined.scalars == [1, 2, 3, 7, 4, 5, 6, 8])
        #expect(tape.reshape(x, [3, -1]).shape == [3, 2])
        #expect(tape.mean(x, axis: 0).scalars == [2.5, 3.5, 4.5])
        #expect(tape.mean(x, axis: 1).scalars == [2, 5])
        let e = Tensor(parameter: [3, 2], values: [0, 1, 10, 11, 20, 21])
        #expect(tape.embedding([2, 0, 2], shape: [3], table: e).scalars == [20, 21, 0, 1, 20, 21])
        let seq = Tensor(parameter: [2, 3, 1], values: [1, 2, 3, 4, 5, 6])
        #expect(tape.gatherRows(seq, positions: [2, 1]).scalars == [3, 5])
    }

    @Test func crossEntropyValue() {
        let tape = Tape()
        let logits = Tensor(parameter: [2, 3], values: [1, 2, 3, 0, 0, 0])
        let loss = tape.crossEntropy(logits, labels: [2, 0])
        let first = -log(Double(1.0 / (1 + Foundation.exp(-1.0) + Foundation.exp(-2.0))))
        let expected = (first + log(3.0)) / 2
        #expect(abs(Double(loss.item) - expected) < 1e-6)
        let normalized = tape.l2Normalize(Tensor(parameter: [1, 2], values: [3, 4]))
        #expect(normalized.scalars == [0.6, 0.8])
    }
}
