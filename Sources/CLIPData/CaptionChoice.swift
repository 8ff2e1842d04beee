import Seeding
import Tensor

/// LaCLIP's text augmentation: each time an image is drawn, pick uniformly among its original
/// caption and its rewrites; when the pick has fewer than 2 words, use the original instead.
public enum CaptionChoice {
    /// Words as LaCLIP counts them: Python's `len(text.split(' '))`, splitting on single
    /// spaces and keeping empty pieces (so "" is 1 word and "a  b" is 3).
    public static func wordCount(_ text: String) -> Int {
        text.split(separator: " ", omittingEmptySubsequences: false).count
    }

    /// Index into `captions` (original first) of the text to train on.
    public static func choose(_ captions: [String], augment: Bool, generator: inout SeededGenerator) -> Int {
        guard augment, captions.count > 1 else { return 0 }
        let pick = Int(generator.next() % UInt64(captions.count))
        return wordCount(captions[pick]) < 2 ? 0 : pick
    }
}
