/// Finds the folded content words of UTF-8 text (the rules are `ContentWords`'), one hash at a
/// time. Nothing is allocated on the heap for texts of caption size, and no closure captures
/// mutable state (that costs a dynamic exclusivity check per word): the score runs on every
/// rewrite of a job.
struct ContentWordScanner {
    private let lower: UnsafeMutableBufferPointer<UInt8>
    private var position = 0
    /// Held for the scan so the global's lazy initialiser is not consulted once per word.
    private let stopWords = StopWords.table

    /// Lends `body` a scanner over a lower-cased copy of `text` on the stack.
    static func scan<R>(_ text: UnsafeBufferPointer<UInt8>, _ body: (inout ContentWordScanner) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(text.count, 1)) { lower in
            for i in 0..<text.count {
                let b = text[i]
                lower[i] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            }
            var scanner = ContentWordScanner(lower: UnsafeMutableBufferPointer(rebasing: lower[0..<text.count]))
            return body(&scanner)
        }
    }

    private init(lower: UnsafeMutableBufferPointer<UInt8>) { self.lower = lower }

    /// The next content word's hash; nil at the end.
    mutating func next() -> UInt64? {
        let n = lower.count
        var i = position
        while i < n {
            while i < n && !Self.isWordByte(lower[i]) { i += 1 }
            let start = i
            var h = Self.offsetBasis
            while i < n, Self.isWordByte(lower[i]) {
                h = (h ^ UInt64(lower[i])) &* Self.prime
                i += 1
            }
            guard i > start else { continue }
            if stopWords.contains(h) { continue }
            position = i
            let word = UnsafeMutableBufferPointer(rebasing: lower[start..<i])
            let last = word[word.count - 1]
            let folded = SuffixFolding.fold(word)
            // Most words fold to themselves or lose a suffix: hash again only then.
            if folded == word.count && word[folded - 1] == last { return h }
            return Self.hash(UnsafeBufferPointer(rebasing: word[0..<folded]))
        }
        position = n
        return nil
    }

    @inline(__always)
    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b >= 0x80
    }

    /// FNV-1a, 64 bit.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = offsetBasis
        for b in bytes { h = (h ^ UInt64(b)) &* prime }
        return h
    }

    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x100_0000_01b3
}
