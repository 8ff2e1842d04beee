/// A tokenizer-free estimate from UTF-8 bytes, meant to err high for the text laclip sees, so
/// a prompt it accepts is very likely within the budget of the real tokenizer. Not exact:
/// `isExact` is false and callers should say "estimated" wherever they show the number.
///
/// The rule, with its reasons (LLaMA-style SentencePiece/BPE vocabularies of 32k+ entries):
/// - 1 token for the BOS marker servers add in front of a prompt;
/// - ASCII letters and spaces: 1 token per 3 bytes, rounded up. English prose runs about 4
///   characters per token on these vocabularies (more on newer, larger ones), so this
///   over-counts ordinary captions by 20-40%;
/// - every other ASCII byte (digits, punctuation, symbols, controls): 1 token each, since
///   LLaMA splits digits one by one and punctuation rarely merges;
/// - every byte of a non-ASCII character: 1 token each, the byte-fallback worst case (a CJK
///   character missing from the vocabulary costs 3 tokens, one per byte).
/// Text built to defeat it (long runs of rare capitalised fragments, base64) can still count
/// higher on a real tokenizer: give the builder an exact counter when that matters.
public struct ByteEstimateTokenCounter: TokenCounter {
    public init() {}

    public var isExact: Bool { false }

    public func countTokens(_ text: String) async throws -> Int {
        Self.estimate(text)
    }

    /// The estimate itself, synchronous for callers that are not async.
    public static func estimate(_ text: String) -> Int {
        var letterBytes = 0
        var otherBytes = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: " "):
                letterBytes += 1
            default:
                otherBytes += 1
            }
        }
        return 1 + (letterBytes + 2) / 3 + otherBytes
    }
}
