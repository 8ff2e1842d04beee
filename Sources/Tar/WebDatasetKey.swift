/// How the `webdataset` Python package splits a member name into a sample key and an
/// extension (its `base_plus_ext`): the key runs to the first dot of the last path
/// component, directories included; the extension is everything after that dot.
///
/// The exact rule, for odd names too: the key is an optional directory part ending in `/`
/// (the longest one that works, and it may not contain a newline) followed by at least one
/// character that is not a dot, then comes a dot, then an extension with no `/`. So
/// `a/b.tar.gz` is (`a/b`, `tar.gz`), `a/.hidden` is (`a/`, `hidden`), and `.hidden`,
/// `a.b/c` and `noext` have no key at all (webdataset drops such members).
public struct WebDatasetKey: Sendable, Hashable {
    public var key: String
    /// As written; webdataset names the sample's field by `lowercasedExtension`.
    public var fileExtension: String

    public var lowercasedExtension: String { fileExtension.lowercased() }

    public init?(memberName: String) {
        // Dots, slashes and newlines are ASCII, so working on UTF-8 bytes splits exactly where
        // working on characters would.
        let bytes = Array(memberName.utf8)
        let dot = UInt8(ascii: "."), slash = UInt8(ascii: "/"), newline = UInt8(ascii: "\n")
        let firstNewline = bytes.firstIndex(of: newline) ?? bytes.count
        // Where the non-dot run after the directory part may start: after each usable slash,
        // last one first, then the very beginning.
        var starts = bytes.indices.filter { bytes[$0] == slash && $0 < firstNewline }.reversed().map { $0 + 1 }
        starts.append(0)
        for start in starts {
            var end = start
            while end < bytes.count, bytes[end] != dot { end += 1 }
            guard end > start, end < bytes.count, !bytes[(end + 1)...].contains(slash) else { continue }
            key = String(decoding: bytes[..<end], as: UTF8.self)
            fileExtension = String(decoding: bytes[(end + 1)...], as: UTF8.self)
            return
        }
        return nil
    }

    /// Whether webdataset's tar iterator drops this member before grouping: names like
    /// `__key__` (no slash, starting and ending with `__`) or whose first component is
    /// `__…__`.
    public static func isSkippedMetadata(_ memberName: String) -> Bool {
        let bytes = Array(memberName.utf8)
        let underscore = UInt8(ascii: "_"), slash = UInt8(ascii: "/"), newline = UInt8(ascii: "\n")
        guard bytes.count >= 2, bytes[0] == underscore, bytes[1] == underscore else { return false }
        let firstSlash = bytes.firstIndex(of: slash)
        if firstSlash == nil, bytes.suffix(2).elementsEqual([underscore, underscore]) { return true }
        func doubleUnderscore(endingAt end: Int) -> Bool {
            end - 2 >= 2 && end <= bytes.count && bytes[end - 2] == underscore && bytes[end - 1] == underscore
        }
        if let firstSlash { return doubleUnderscore(endingAt: firstSlash) }
        // Python's `$` also matches just before a final newline.
        return bytes.last == newline && doubleUnderscore(endingAt: bytes.count - 1)
    }
}
