/// The demonstrations chosen for one task, in prompt order, in a form that fits one SQLite
/// INTEGER.
///
/// Layout of `packed` (always non-negative): bits 60-62 hold the count (1...7) and the low 60
/// bits hold the ids in fields of `60 / count` bits each, the first demonstration in the most
/// significant field (20 bits each for the usual 3). Because the first id sits highest,
/// ordering tasks by `packed` puts tasks that share their first demonstrations, and hence the
/// longest common prompt prefix, next to each other. Equal id lists give equal `packed`.
public struct DemonstrationDraw: Sendable, Hashable, CustomStringConvertible {
    public static let maximumCount = 7
    private static let idBits = 60

    public let packed: Int64

    /// Decodes a stored value. Bits the layout does not use are ignored, so every
    /// `DemonstrationDraw(packed: x)` re-packs to its canonical form.
    public init(packed: Int64) {
        let count = Int((UInt64(bitPattern: packed) >> 60) & 7)
        guard count > 0 else {
            self.packed = 0
            return
        }
        let width = Self.idBits / count
        let mask = (UInt64(1) << width) - 1
        var canonical = UInt64(count) << 60
        for index in 0..<count {
            let shift = width * (count - 1 - index)
            canonical |= ((UInt64(bitPattern: packed) >> shift) & mask) << shift
        }
        self.packed = Int64(bitPattern: canonical)
    }

    /// Packs ids in prompt order. Precondition: 1...7 ids, each within `0...maximumID(count:)`.
    public init(ids: [Int]) {
        precondition(
            (1...Self.maximumCount).contains(ids.count), "a draw holds 1...\(Self.maximumCount) demonstrations")
        let width = Self.idBits / ids.count
        var value = UInt64(ids.count) << 60
        for (index, id) in ids.enumerated() {
            precondition(
                id >= 0 && id <= Self.maximumID(count: ids.count),
                "demonstration id \(id) does not fit a draw of \(ids.count)")
            value |= UInt64(id) << (width * (ids.count - 1 - index))
        }
        self.packed = Int64(bitPattern: value)
    }

    /// Assembles a draw from ids already known to fit (the sampler's hot path).
    @inline(__always)
    init(trustedIDs ids: UnsafeMutableBufferPointer<Int>, count: Int) {
        let width = Self.idBits / count
        var value = UInt64(count) << 60
        for index in 0..<count {
            value |= UInt64(ids[index]) << (width * (count - 1 - index))
        }
        self.packed = Int64(bitPattern: value)
    }

    /// Largest id a draw of `count` demonstrations can hold (1,048,575 for 3).
    public static func maximumID(count: Int) -> Int {
        (1 << (idBits / count)) - 1
    }

    public var count: Int {
        Int((UInt64(bitPattern: packed) >> 60) & 7)
    }

    /// Demonstration ids within the source, in prompt order.
    public var ids: [Int] {
        let count = count
        guard count > 0 else { return [] }
        let width = Self.idBits / count
        let mask = (UInt64(1) << width) - 1
        return (0..<count).map { index in
            Int((UInt64(bitPattern: packed) >> (width * (count - 1 - index))) & mask)
        }
    }

    public var description: String {
        "draw \(packed) [" + ids.map(String.init).joined(separator: ", ") + "]"
    }
}
