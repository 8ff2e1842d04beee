/// The words a synthetic class is made of (colour names and shape nouns), found in any text.
/// A rewrite that drops or swaps one of its original's concepts teaches the wrong class, so the
/// experiment measures how often an LLM keeps them.
public enum SynthConcepts {
    static let colours = Set(SynthScene.colours.map(\.name))
    static let shapes = Set(SynthScene.shapes)

    /// Colour and shape words in `text`, lower-cased, plural shapes made singular.
    public static func concepts(in text: String) -> Set<String> {
        var found = Set<String>()
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter }) {
            let word = String(word)
            if colours.contains(word) || shapes.contains(word) {
                found.insert(word)
            } else if word.hasSuffix("s"), shapes.contains(String(word.dropLast())) {
                found.insert(String(word.dropLast()))
            }
        }
        return found
    }

    /// Whether `rewrite` still names every colour and shape its original names.
    public static func keeps(original: String, rewrite: String) -> Bool {
        concepts(in: original).isSubset(of: concepts(in: rewrite))
    }
}
