/// One demonstration as shown in a prompt, with the id a draw stores for it.
public struct Demonstration: Sendable, Equatable {
    /// Id within its source: the pair's index in a pair file; for a group file,
    /// the group's offset plus `inputIndex * (captions - 1) + outputRank` (see `MetaPairSource`).
    public var id: Int
    public var input: String
    public var output: String

    public init(id: Int, input: String, output: String) {
        self.id = id
        self.input = input
        self.output = output
    }
}
