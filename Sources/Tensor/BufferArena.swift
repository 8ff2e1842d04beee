/// Pool of activation and gradient storage, keyed by element count.
///
/// A training step asks for the same sizes in the same order every time, so after the first
/// step every request is served from the free lists and `freshAllocations` stops growing.
/// Keyed by count rather than shape so that e.g. a reshape's output can reuse any buffer of
/// the same size.
public final class BufferArena {
    private var free: [Int: [FloatBuffer]] = [:]
    private var inUse: [FloatBuffer] = []

    /// Number of buffers this arena has ever allocated from the system.
    public private(set) var freshAllocations = 0
    /// Bytes of storage this arena holds (in use or free).
    public private(set) var bytesHeld = 0
    /// Buffers currently handed out (released by `releaseAll`).
    public var buffersInUse: Int { inUse.count }

    public init() {}

    func take(count: Int) -> FloatBuffer {
        let buffer: FloatBuffer
        if let reused = free[count]?.popLast() {
            buffer = reused
        } else {
            buffer = FloatBuffer(capacity: count)
            freshAllocations += 1
            bytesHeld += count * MemoryLayout<Float>.stride
        }
        inUse.append(buffer)
        return buffer
    }

    func takeZeroed(count: Int) -> FloatBuffer {
        let buffer = take(count: count)
        buffer.zero()
        return buffer
    }

    /// Returns every handed-out buffer to the free lists and invalidates tensors that used them.
    func releaseAll() {
        for buffer in inUse {
            buffer.generation &+= 1
            free[buffer.capacity, default: []].append(buffer)
        }
        inUse.removeAll(keepingCapacity: true)
    }
}
