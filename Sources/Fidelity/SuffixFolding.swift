/// Light suffix folding for English content words: enough to make inflections meet, not a
/// stemmer. Both sides of a comparison are folded the same way, so a fold only has to be
/// consistent (`horse` and `horses` both become `hors`), not to yield a dictionary word.
///
/// Rules, on a lower-cased alphabetic word (words holding a digit or a non-ASCII byte are left
/// alone), applied in this order:
/// 1. `-ies` → `-y` when 5+ letters (`puppies` → `puppy`); otherwise a final `-s` goes when 4+
///    letters and the word does not end in `ss`, `us` or `is` (`rocks` → `rock`, `glass`,
///    `cactus`, `tennis` stay).
/// 2. `-ing` goes when 6+ letters (`walking` → `walk`), `-ed` when 5+ letters and not `-eed`
///    (`walked` → `walk`, `speed` stays); a doubled final consonant left behind is undoubled
///    unless it is `l`, `s` or `z` (`running` → `run`, `stopped` → `stop`).
/// 3. A final `e` after a consonant goes when 4+ letters (`make`/`making` → `mak`,
///    `smile`/`smiling` → `smil`; `tree` and `blue` stay).
enum SuffixFolding {
    /// Folds the lower-cased `word` in place (the `-ies` rule writes its `y`); returns the
    /// folded length.
    static func fold(_ word: UnsafeMutableBufferPointer<UInt8>) -> Int {
        for b in word where b < 0x61 || b > 0x7A { return word.count }
        var n = word.count
        if n >= 5 && Self.ends(word, n, "ies") {
            n -= 2
            word[n - 1] = UInt8(ascii: "y")
        } else if n >= 4 && Self.ends(word, n, "s") && !Self.ends(word, n, "ss") && !Self.ends(word, n, "us")
            && !Self.ends(word, n, "is")
        {
            n -= 1
        }
        var cut = false
        if n >= 6 && Self.ends(word, n, "ing") {
            n -= 3
            cut = true
        } else if n >= 5 && Self.ends(word, n, "ed") && !Self.ends(word, n, "eed") {
            n -= 2
            cut = true
        }
        if cut, n >= 3, word[n - 1] == word[n - 2], !isVowel(word[n - 1]),
            word[n - 1] != UInt8(ascii: "l"), word[n - 1] != UInt8(ascii: "s"), word[n - 1] != UInt8(ascii: "z")
        {
            n -= 1
        }
        if n >= 4 && word[n - 1] == UInt8(ascii: "e") && !isVowel(word[n - 2]) {
            n -= 1
        }
        return n
    }

    @inline(__always)
    private static func ends(_ word: UnsafeMutableBufferPointer<UInt8>, _ n: Int, _ suffix: StaticString) -> Bool {
        let k = suffix.utf8CodeUnitCount
        guard n >= k else { return false }
        for i in 0..<k where word[n - k + i] != suffix.utf8Start[i] { return false }
        return true
    }

    private static func isVowel(_ b: UInt8) -> Bool {
        b == 0x61 || b == 0x65 || b == 0x69 || b == 0x6F || b == 0x75 || b == 0x79
    }
}
