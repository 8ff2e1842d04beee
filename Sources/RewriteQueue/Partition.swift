/// Which shards a process may work: all of them, or partition `index` of `count`. Shard `id`
/// belongs to partition `id % count`, a fixed assignment, so N processes on N machines (a Slurm
/// array of N tasks) never touch the same shard file, and `laclip status --partitions N` counts
/// exactly what each of them works.
public struct Partition: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init?(index: Int, count: Int) {
        guard count >= 1, (0..<count).contains(index) else { return nil }
        self.init(checkedIndex: index, count: count)
    }

    private init(checkedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// `I/N`, as `--partition` takes it and `description` prints it.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else { return nil }
        self.init(index: index, count: count)
    }

    public static let all = Partition(checkedIndex: 0, count: 1)

    /// The `count` partitions of a partitioning, in order.
    public static func every(of count: Int) -> [Partition] {
        let count = max(count, 1)
        return (0..<count).map { Partition(checkedIndex: $0, count: count) }
    }

    public func owns(shard id: Int) -> Bool { id % count == index }
    public var description: String { "\(index)/\(count)" }
}
