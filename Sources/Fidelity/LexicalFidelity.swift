/// The `lexical` fidelity score: the share of the caption's content words (`ContentWords`)
/// that the rewrite keeps. 1 keeps every one, 0 keeps none. A caption without content words
/// (only stop words, or punctuation) has nothing a rewrite could drop: it scores 1.
///
/// A rewrite that adds words is not penalised (LaCLIP's rewrites are meant to add wording);
/// one that swaps the caption's nouns for others is.
public struct LexicalFidelity: Sendable {
    public static let name = "lexical"
    /// The `--min-fidelity` the help recommends for this scorer (measured on real captions:
    /// README, "Fidelity").
    public static let recommendedThreshold = 0.3

    public init() {}

    public func score(caption: String, rewrite: String) -> Double {
        var caption = caption, rewrite = rewrite
        return caption.withUTF8 { c in rewrite.withUTF8 { r in score(utf8: c, rewrite: r) } }
    }

    /// One pair, without building either word set on the heap: a caption has few content
    /// words, so a linear scan of them per rewrite word beats sorting or hashing into a Set.
    public func score(utf8 caption: UnsafeBufferPointer<UInt8>, rewrite: UnsafeBufferPointer<UInt8>) -> Double {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: caption.count / 2 + 1) { words in
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: caption.count / 2 + 1) { kept in
                let n = ContentWordScanner.scan(caption) { scanner in
                    var n = 0
                    next: while let h = scanner.next() {
                        for i in 0..<n where words[i] == h { continue next }
                        words[n] = h
                        kept[n] = false
                        n += 1
                    }
                    return n
                }
                guard n > 0 else { return 1 }
                let shared = ContentWordScanner.scan(rewrite) { scanner in
                    var shared = 0
                    next: while let h = scanner.next() {
                        for i in 0..<n where words[i] == h {
                            if !kept[i] {
                                kept[i] = true
                                shared += 1
                            }
                            continue next
                        }
                    }
                    return shared
                }
                return Double(shared) / Double(n)
            }
        }
    }

    /// For scoring many rewrites of one caption: its words are found once.
    public func score(caption: ContentWords, rewrite: ContentWords) -> Double {
        guard !caption.isEmpty else { return 1 }
        return Double(caption.shared(with: rewrite)) / Double(caption.count)
    }
}
