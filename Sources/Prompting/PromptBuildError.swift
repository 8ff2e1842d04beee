/// Why a prompt could not be built. Token-counter failures (an unreachable tokenizer endpoint)
/// are passed through unchanged instead.
public struct PromptBuildError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The draw's size differs from the template's, or an id is not in the source.
        case drawMismatch = "draw_mismatch"
        /// Nothing left of the caption after turning line breaks into spaces and trimming.
        case emptyCaption = "empty_caption"
        /// Even one character of caption does not fit: the demonstrations alone fill the budget.
        case budgetTooSmall = "budget_too_small"
        /// A style name that is not in the meta-pair library.
        case unknownStyle = "unknown_style"
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
