/// One style's demonstrations (a file of `MetaPairs/`), parsed and validated.
///
/// Two layouts exist (see `MetaPairs/README.md`): a pair file lists `input => output` lines and
/// a draw picks distinct pairs; a group file lists `[label]` groups of captions of one image
/// and a draw picks distinct groups, then an ordered pair of distinct captions within each.
public struct MetaPairSource: Sendable, Equatable {
    public enum Layout: String, Sendable, Equatable {
        case pairs
        case groups
    }

    /// Fewest pairs (or groups) a source may have: a prompt shows three distinct ones.
    public static let minimumUnits = 3
    /// Bounds on each input, output or caption: a demonstration of one word teaches one-word
    /// rewrites (which training discards), and long ones eat the 400-token prompt budget.
    public static let minimumFieldWords = 2
    public static let maximumFieldCharacters = 200

    /// "chatgpt", "bard", "coco", "human", or a user file's stem; part of every draw's seed.
    public let name: String
    /// The file's exact text: a job stores it so a stored draw keeps its meaning.
    public let text: String
    public let layout: Layout
    /// The pairs of a pair file (empty for a group file).
    public let pairs: [MetaPair]
    /// The groups of a group file (empty for a pair file).
    public let groups: [MetaPairGroup]

    /// What a draw picks distinct members of: pairs, or groups.
    public let unitCount: Int
    /// Number of distinct demonstrations a draw can pick (ordered caption pairs for groups).
    public let demonstrationCount: Int

    let styleHash: UInt64
    /// Per group: its caption count, and the first demonstration id that belongs to it.
    let groupSizes: [Int]
    let groupOffsets: [Int]

    init(name: String, text: String, pairs: [MetaPair], groups: [MetaPairGroup]) {
        self.name = name
        self.text = text
        self.layout = groups.isEmpty ? .pairs : .groups
        self.pairs = pairs
        self.groups = groups
        self.styleHash = stableHash(name)
        self.groupSizes = groups.map(\.captions.count)
        var offsets: [Int] = []
        var next = 0
        for group in groups {
            offsets.append(next)
            next += group.demonstrationCount
        }
        self.groupOffsets = offsets
        self.unitCount = groups.isEmpty ? pairs.count : groups.count
        self.demonstrationCount = groups.isEmpty ? pairs.count : next
    }

    /// Parses and validates a meta-pair file. `file` only labels errors (`FILE:LINE: reason`).
    public static func parse(name: String, text: String, file: String) throws(MetaPairError) -> MetaPairSource {
        try MetaPairParser(name: name, text: text, file: file).parse()
    }

    /// The demonstration with this id, or nil if the id does not belong to this source.
    public func demonstration(id: Int) -> Demonstration? {
        guard id >= 0, id < demonstrationCount else { return nil }
        switch layout {
        case .pairs:
            return Demonstration(id: id, input: pairs[id].input, output: pairs[id].output)
        case .groups:
            let groupIndex = group(containing: id)
            let captions = groups[groupIndex].captions
            let (inputIndex, outputRank) = (id - groupOffsets[groupIndex]).quotientAndRemainder(
                dividingBy: captions.count - 1)
            let outputIndex = outputRank >= inputIndex ? outputRank + 1 : outputRank
            return Demonstration(id: id, input: captions[inputIndex], output: captions[outputIndex])
        }
    }

    /// Index of the group whose id range holds `id` (binary search over the offsets).
    func group(containing id: Int) -> Int {
        var low = 0
        var high = groupOffsets.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if groupOffsets[middle] <= id { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The demonstration id of group `groupIndex`'s caption `inputIndex` as input and caption
    /// `outputRank` (counted among the other captions) as output.
    @inline(__always)
    func groupDemonstrationID(group groupIndex: Int, inputIndex: Int, outputRank: Int) -> Int {
        groupOffsets[groupIndex] + inputIndex * (groupSizes[groupIndex] - 1) + outputRank
    }

    public static func == (lhs: MetaPairSource, rhs: MetaPairSource) -> Bool {
        lhs.name == rhs.name && lhs.text == rhs.text
    }
}
