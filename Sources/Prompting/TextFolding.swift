/// Text comparisons shared by the meta-pair checks and the completion validator, so that
/// "the same caption" means the same thing in both places.
enum TextFolding {
    /// Lower-cased letters, digits and combining marks only: folds case, spacing and
    /// punctuation, so "A dog, running." and "a dog running" compare equal.
    static func fold(_ text: String) -> String {
        var folded = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars where isWordScalar(scalar) {
            folded.append(scalar)
        }
        return String(folded)
    }

    /// Whitespace-separated tokens that contain at least one letter or digit: a lone "-" or
    /// "..." is not a word.
    static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0.isWhitespace }).filter { token in
            token.unicodeScalars.contains(where: isWordScalar)
        }
    }

    static func wordCount(_ text: String) -> Int {
        var count = 0
        for token in text.split(whereSeparator: { $0.isWhitespace })
        where token.unicodeScalars.contains(where: isWordScalar) {
            count += 1
        }
        return count
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic { return true }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark:
            return true
        default:
            return false
        }
    }

    /// Characters that have no place in a one-line caption: C0/C1 controls (tabs included,
    /// since they render unpredictably in prompts), line and paragraph separators, and U+FFFD,
    /// which marks bytes that were not valid UTF-8 before someone decoded them lossily.
    static func firstForbiddenScalar(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { scalar in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator:
                return true
            default:
                return scalar == "\u{FFFD}"
            }
        }
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
