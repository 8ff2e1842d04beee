/// A fixed-size, 64-byte aligned block of Float32 storage.
///
/// `generation` is bumped whenever the arena takes the block back, so a tensor that still
/// points at it after `Tape.reset()` can detect that its contents now belong to someone else.
final class FloatBuffer {
    let pointer: UnsafeMutablePointer<Float>
    let capacity: Int
    var generation = 0

    init(capacity: Int) {
        self.capacity = capacity
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: Swift.max(capacity, 1) * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: Swift.max(capacity, 1))
    }

    /// Every activation's gradient buffer is zeroed on first use, each step, so large ones are
    /// zeroed on all compute threads.
    func zero() {
        let pointer = pointer
        parallelRanges(capacity, minimumPerRange: 1 << 16) { range, _ in
            (pointer + range.lowerBound).update(repeating: 0, count: range.count)
        }
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}
