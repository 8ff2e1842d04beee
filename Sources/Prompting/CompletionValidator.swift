/// Turns a model completion into a rewrite, or says why it is not one.
///
/// Parsing follows the reference pipeline, which generated freely and kept the text up to the
/// first newline; validation adds the checks that keep junk out of the training data.
public struct CompletionValidator: Sendable {
    public static let defaultMinimumWords = 2
    public static let defaultMaximumWords = 77

    /// The training loader discards rewrites under 2 words (split on spaces) in favour of the
    /// original caption, so such a rewrite would be wasted work.
    public var minimumWords: Int
    /// CLIP's text encoder reads 77 tokens; a longer rewrite is cut off in training.
    public var maximumWords: Int

    public init(
        minimumWords: Int = CompletionValidator.defaultMinimumWords,
        maximumWords: Int = CompletionValidator.defaultMaximumWords
    ) {
        self.minimumWords = minimumWords
        self.maximumWords = maximumWords
    }

    /// The first line of `completion`, with surrounding whitespace, a leading `=>` (the model
    /// sometimes repeats the arrow) and one or more layers of wrapping quotes removed. Quotes are
    /// only unwrapped when the same quote does not also occur inside, so `"big" and "small"`
    /// keeps its quotes.
    public static func parse(_ completion: String) -> String {
        var text = firstLine(of: completion).trimmingWhitespace()
        if text.hasPrefix("=>") {
            text = String(text.dropFirst(2)).trimmingWhitespace()
        }
        while let first = text.first, let last = text.last, text.count >= 2,
            let closing = quotePairs[first], closing == last
        {
            let inner = text.dropFirst().dropLast()
            if inner.contains(first) || inner.contains(closing) { break }
            text = String(inner).trimmingWhitespace()
        }
        return text
    }

    /// Parses and checks a completion of the prompt whose caption was `input` and whose
    /// demonstrations had `demonstrationOutputs` (`BuiltPrompt.demonstrationOutputs`).
    public func validate(_ completion: String, input: String, demonstrationOutputs: [String]) -> Result<
        String, RejectionReason
    > {
        let rewrite = Self.parse(completion)
        if TextFolding.firstForbiddenScalar(in: rewrite) != nil { return .failure(.invalidUTF8) }
        if rewrite.isEmpty { return .failure(.empty) }
        if rewrite.contains("=>") { return .failure(.containsArrow) }
        let words = TextFolding.words(rewrite)
        if words.count < minimumWords { return .failure(.tooFewWords) }
        if words.count > maximumWords { return .failure(.tooManyWords) }
        if Self.isDegenerate(words.map { TextFolding.fold(String($0)) }) { return .failure(.repetition) }
        let folded = TextFolding.fold(rewrite)
        if folded == TextFolding.fold(input) { return .failure(.sameAsInput) }
        if demonstrationOutputs.contains(where: { TextFolding.fold($0) == folded }) {
            return .failure(.copiesDemonstration)
        }
        return .success(rewrite)
    }

    /// Checks raw completion bytes (for servers that return them undecoded): only the bytes up
    /// to the first line break must be valid UTF-8, since the rest is discarded anyway.
    public func validate<Bytes: Collection<UInt8>>(bytes: Bytes, input: String, demonstrationOutputs: [String])
        -> Result<String, RejectionReason>
    {
        let lineEnd = bytes.firstIndex { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") } ?? bytes.endIndex
        guard let text = String(validating: bytes[..<lineEnd], as: UTF8.self) else {
            return .failure(.invalidUTF8)
        }
        return validate(text, input: input, demonstrationOutputs: demonstrationOutputs)
    }

    /// A word or a short phrase looping: the same word 3 times in a row, a 2-4 word phrase
    /// repeated 3 times in a row, or any 3 words recurring 3 times anywhere. Ordinary captions,
    /// even long ones, almost never do any of these; a sampling loop nearly always does.
    static func isDegenerate(_ words: [String]) -> Bool {
        for period in 1...4 where words.count >= 3 * period {
            var matching = 0
            for index in period..<words.count {
                if words[index] == words[index - period] {
                    matching += 1
                    if matching >= 2 * period { return true }
                } else {
                    matching = 0
                }
            }
        }
        guard words.count >= 9 else { return false }
        var trigramCounts: [String: Int] = [:]
        for index in 0...(words.count - 3) {
            let trigram = words[index] + " " + words[index + 1] + " " + words[index + 2]
            let seen = trigramCounts[trigram, default: 0] + 1
            if seen >= 3 { return true }
            trigramCounts[trigram] = seen
        }
        return false
    }

    private static let quotePairs: [Character: Character] = [
        "\"": "\"", "'": "'", "`": "`", "\u{201C}": "\u{201D}", "\u{2018}": "\u{2019}",
        "\u{00AB}": "\u{00BB}", "\u{201E}": "\u{201C}",
    ]

    /// Text up to the first line break of any kind (the model's next line is not the rewrite).
    private static func firstLine(of text: String) -> Substring {
        let end =
            text.unicodeScalars.firstIndex { scalar in
                scalar == "\n" || scalar == "\r" || scalar == "\u{2028}" || scalar == "\u{2029}" || scalar == "\u{85}"
            } ?? text.endIndex
        return text[..<end]
    }
}
