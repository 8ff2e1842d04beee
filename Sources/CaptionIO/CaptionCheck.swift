/// The rules every reader applies to a caption once it is decoded: not empty (whitespace only
/// counts as empty) and not longer than the limit, counted in Characters as a reader would.
enum CaptionCheck {
    static func problem(_ caption: String, maxCharacters: Int) -> (reason: BadRowReason, detail: String)? {
        // The cheap byte checks settle almost every caption.
        var utf8 = caption.utf8.makeIterator()
        var onlyASCIIWhitespace = true
        while let byte = utf8.next() {
            if byte >= 0x80 || !(byte == ByteValue.space || (byte >= 0x09 && byte <= 0x0D)) {
                onlyASCIIWhitespace = false
                break
            }
        }
        if onlyASCIIWhitespace || caption.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            return (.emptyCaption, "empty caption")
        }
        if caption.utf8.count > maxCharacters {
            let characters = caption.count
            if characters > maxCharacters {
                return (.captionTooLong, "caption too long: \(characters) characters (limit \(maxCharacters))")
            }
        }
        if caption.utf8.contains(0) { return (.nulByte, "NUL byte in the caption") }
        return nil
    }
}
