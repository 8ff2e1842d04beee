/// The content words of a text, as the lexical fidelity score compares them.
///
/// A word is a maximal run of ASCII letters and digits, or of non-ASCII bytes (so accented
/// and non-Latin words stay whole); everything else separates words, apostrophes included
/// (`dog's` is `dog` and `s`, and `s` is a stop word). Words are lower-cased (ASCII), stop
/// words dropped, and what is left is folded by `SuffixFolding` so `rocks`/`rock` and
/// `walks`/`walking`/`walked` meet. Numbers are content words and are not folded.
public struct ContentWords: Sendable {
    /// Hashes of the distinct folded content words, sorted.
    public private(set) var hashes: [UInt64] = []

    public init(_ text: String) {
        var copy = text
        self = copy.withUTF8 { ContentWords(utf8: $0) }
    }

    public init(utf8 text: UnsafeBufferPointer<UInt8>) {
        var found = ContentWordScanner.scan(text) { scanner in
            var found: [UInt64] = []
            while let h = scanner.next() { found.append(h) }
            return found
        }
        found.sort()
        hashes = found
        var unique = 0
        for h in hashes where unique == 0 || hashes[unique - 1] != h {
            hashes[unique] = h
            unique += 1
        }
        hashes.removeLast(hashes.count - unique)
    }

    public var isEmpty: Bool { hashes.isEmpty }
    public var count: Int { hashes.count }

    /// How many of this text's content words `other` also has.
    public func shared(with other: ContentWords) -> Int {
        var i = 0, j = 0, n = 0
        let a = hashes, b = other.hashes
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                n += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return n
    }
}
