/// The fixed English stop-word list of the lexical score: articles, pronouns, prepositions,
/// conjunctions, auxiliary and modal verbs, and the fragments apostrophes split off (`s`, `t`,
/// `ll`...). Words that carry what an image shows (nouns, adjectives, numbers, most verbs) are
/// not on it. Changing it changes every score, so it is part of the scorer's definition.
public enum StopWords {
    public static let words: [String] = """
        a an the this that these those there here
        i me my mine myself we us our ours ourselves you your yours yourself yourselves
        he him his himself she her hers herself it its itself they them their theirs themselves
        what which who whom whose when where why how
        am is are was were be been being have has had having do does did doing done
        will would shall should can could may might must
        and or but nor so yet if then than because as until while
        of at by for with about against between into through during before after above below
        to from up down in out on off over under again further once
        all any both each few more most other some such no not only own same too very just
        s t d ll m re ve o y
        also onto upon via per
        """.split(whereSeparator: \.isWhitespace).map(String.init)

    /// Open addressing on the words' own hashes (0 = empty): looked up for every word scored.
    static let table = StopWordTable(words)

    static func contains(_ hash: UInt64) -> Bool { table.contains(hash) }
}

struct StopWordTable: @unchecked Sendable {
    private static let size = 512
    /// Written once in `init` and only read after: the table lives as long as the process.
    private let slots: UnsafeMutablePointer<UInt64>

    init(_ words: [String]) {
        slots = .allocate(capacity: Self.size)
        slots.initialize(repeating: 0, count: Self.size)
        for word in words {
            let h = Array(word.utf8).withUnsafeBufferPointer { ContentWordScanner.hash($0) }
            var i = Int(truncatingIfNeeded: h) & (Self.size - 1)
            while slots[i] != 0 && slots[i] != h { i = (i + 1) & (Self.size - 1) }
            slots[i] = h
        }
    }

    @inline(__always)
    func contains(_ hash: UInt64) -> Bool {
        var i = Int(truncatingIfNeeded: hash) & (Self.size - 1)
        while true {
            let entry = slots[i]
            if entry == hash { return true }
            if entry == 0 { return false }
            i = (i + 1) & (Self.size - 1)
        }
    }
}
