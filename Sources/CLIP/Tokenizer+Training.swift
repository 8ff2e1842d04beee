import Foundation

extension Tokenizer {
    /// Learns merges from `texts` until the vocabulary is full or no adjacent pair is left.
    ///
    /// Each step merges the most frequent adjacent pair over all word occurrences; ties go to
    /// the smallest (left, right) ids, so the result depends only on the texts' multiset of
    /// words, never on dictionary order. Pair counts are updated only for the words that
    /// contain the merged pair.
    public static func learn(from texts: some Sequence<String>, vocabularySize: Int) throws(TokenizerError) -> Tokenizer
    {
        guard vocabularySize >= minimumVocabularySize else {
            throw TokenizerError(
                description: "vocabulary size \(vocabularySize) is below the minimum \(minimumVocabularySize)")
        }
        var wordCounts: [[UInt8]: Int] = [:]
        for text in texts {
            for word in words(text) { wordCounts[word, default: 0] += 1 }
        }
        // Sorted so that the word indices below are the same in every run.
        let distinct = wordCounts.keys.sorted { $0.lexicographicallyPrecedes($1) }
        var symbols = distinct.map { initialSymbols($0) }
        let frequency = distinct.map { wordCounts[$0]! }

        var pairCounts: [Pair: Int] = [:]
        var wordsWithPair: [Pair: Set<Int>] = [:]
        for (w, word) in symbols.enumerated() where word.count > 1 {
            for i in 0..<(word.count - 1) {
                let pair = Pair(word[i], word[i + 1])
                pairCounts[pair, default: 0] += frequency[w]
                wordsWithPair[pair, default: []].insert(w)
            }
        }

        var merges: [Pair] = []
        let mergeBudget = vocabularySize - minimumVocabularySize
        while merges.count < mergeBudget {
            var best: Pair?
            var bestCount = 0
            for (pair, count) in pairCounts where count > 0 {
                if count > bestCount || (count == bestCount && pair < best!) {
                    best = pair
                    bestCount = count
                }
            }
            guard let pair = best else { break }
            let merged = Int32(byteTokenCount + merges.count)
            merges.append(pair)
            for w in (wordsWithPair[pair] ?? []).sorted() {
                let old = symbols[w]
                var next: [Int32] = []
                next.reserveCapacity(old.count)
                var i = 0
                while i < old.count {
                    if i + 1 < old.count, old[i] == pair.left, old[i + 1] == pair.right {
                        next.append(merged)
                        i += 2
                    } else {
                        next.append(old[i])
                        i += 1
                    }
                }
                if next.count == old.count { continue }
                for i in 0..<(old.count - 1) { pairCounts[Pair(old[i], old[i + 1])]! -= frequency[w] }
                for i in 0..<max(next.count - 1, 0) {
                    let p = Pair(next[i], next[i + 1])
                    pairCounts[p, default: 0] += frequency[w]
                    wordsWithPair[p, default: []].insert(w)
                }
                symbols[w] = next
            }
            pairCounts[pair] = nil
            wordsWithPair[pair] = nil
        }
        return try Tokenizer(vocabularySize: vocabularySize, merges: merges)
    }

    // MARK: Files

    private static let header = "laclip-bpe 1"

    /// A small text file: a header, the vocabulary size, then one merge per line as two ids.
    public var fileContents: String {
        var lines = [Tokenizer.header, "vocabulary \(vocabularySize)"]
        lines.reserveCapacity(merges.count + 2)
        for pair in merges { lines.append("\(pair.left) \(pair.right)") }
        return lines.joined(separator: "\n") + "\n"
    }

    public func save(to url: URL) throws {
        try Data(fileContents.utf8).write(to: url, options: .atomic)
    }

    public init(fileContents: String, file: String = "tokenizer") throws(TokenizerError) {
        let lines = fileContents.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2, lines[0] == Tokenizer.header else {
            throw TokenizerError(description: "\(file):1: not a laclip BPE file (expected '\(Tokenizer.header)')")
        }
        let sizeParts = lines[1].split(separator: " ")
        guard sizeParts.count == 2, sizeParts[0] == "vocabulary", let size = Int(sizeParts[1]) else {
            throw TokenizerError(description: "\(file):2: expected 'vocabulary N'")
        }
        var merges: [Pair] = []
        for (index, line) in lines.dropFirst(2).enumerated() where !line.isEmpty {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let left = Int32(parts[0]), let right = Int32(parts[1]) else {
                throw TokenizerError(description: "\(file):\(index + 3): expected two token ids")
            }
            merges.append(Pair(left, right))
        }
        do {
            try self.init(vocabularySize: size, merges: merges)
        } catch {
            throw TokenizerError(description: "\(file): \(error.description)")
        }
    }

    public static func load(from url: URL) throws -> Tokenizer {
        try Tokenizer(
            fileContents: String(decoding: try Data(contentsOf: url), as: UTF8.self), file: url.lastPathComponent)
    }
}
