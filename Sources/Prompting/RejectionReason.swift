/// Why a completion is not a usable rewrite; the raw values are the codes stored with failed
/// tasks and shown in reports.
public enum RejectionReason: String, Error, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Nothing left after keeping the first line and trimming.
    case empty = "empty"
    /// Fewer than the minimum (2) words: the training loader would fall back to the original caption.
    case tooFewWords = "too_few_words"
    /// More than the maximum (77) words: beyond what CLIP's 77-token text encoder can read.
    case tooManyWords = "too_many_words"
    /// The input again, ignoring case, spaces and punctuation.
    case sameAsInput = "same_as_input"
    /// One of the prompt's demonstration outputs, copied (ignoring case, spaces, punctuation).
    case copiesDemonstration = "copies_demonstration"
    /// A word or phrase looping ("the the the", "a red a red a red ...").
    case repetition = "repetition"
    /// Contains `=>`: the model began another demonstration line.
    case containsArrow = "contains_arrow"
    /// Not valid UTF-8, or holding control characters or U+FFFD (bytes lost in decoding).
    case invalidUTF8 = "invalid_utf8"
    /// Valid, but its fidelity score is under the run's `--min-fidelity`: it lost too much of
    /// the caption's content.
    case dropsContent = "drops_content"

    public var description: String {
        switch self {
        case .empty: "empty completion"
        case .tooFewWords: "too few words"
        case .tooManyWords: "too many words"
        case .sameAsInput: "same as the input caption"
        case .copiesDemonstration: "copy of a demonstration output"
        case .repetition: "degenerate repetition"
        case .containsArrow: "contains =>"
        case .invalidUTF8: "not valid UTF-8 text"
        case .dropsContent: "drops the caption's content"
        }
    }
}
