/// POSIX shell quoting, and the reverse: splitting a command line typed by a user into words.
public enum ShellQuoting {
    /// A word the shell reads back exactly: bare when it is made only of characters no shell
    /// treats specially, otherwise single-quoted (a single quote inside becomes `'\''`).
    public static func quote(_ word: String) -> String {
        if !word.isEmpty, word.unicodeScalars.allSatisfy(isSafe) { return word }
        return "'" + word.replacing("'", with: "'\\''") + "'"
    }

    /// Splits `text` into words the way a shell would, without any expansion: whitespace
    /// separates words; single quotes keep everything; double quotes keep everything but
    /// `\"`, `\\`, `\$` and `` \` ``; a backslash outside quotes escapes the next character.
    public static func split(_ text: String) throws(ShellWordsError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var quoteStart = 0
        var characters = Array(text).makeIterator()
        var offset = -1
        while let c = characters.next() {
            offset += 1
            switch quote {
            case "'":
                if c == "'" { quote = nil } else { current.append(c) }
            case "\"":
                if c == "\"" {
                    quote = nil
                } else if c == "\\" {
                    guard let next = characters.next() else {
                        throw ShellWordsError(text: text, reason: "a trailing backslash")
                    }
                    offset += 1
                    if !"\"\\$`".contains(next) { current.append("\\") }
                    current.append(next)
                } else {
                    current.append(c)
                }
            default:
                if c == "'" || c == "\"" {
                    quote = c
                    quoteStart = offset
                    inWord = true
                } else if c == "\\" {
                    guard let next = characters.next() else {
                        throw ShellWordsError(text: text, reason: "a trailing backslash")
                    }
                    offset += 1
                    if next != "\n" { current.append(next) }
                    inWord = true
                } else if c.isWhitespace {
                    if inWord { words.append(current) }
                    current = ""
                    inWord = false
                } else {
                    current.append(c)
                    inWord = true
                }
            }
        }
        if let quote {
            throw ShellWordsError(
                text: text, reason: "the \(quote) quote opened at character \(quoteStart + 1) never closes")
        }
        if inWord { words.append(current) }
        return words
    }

    private static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/", ":", "=", "+", ",", "@", "%": true
        default: false
        }
    }
}

/// A command line that cannot be split into words.
public struct ShellWordsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "cannot split \(ShellQuoting.quote(text)) into words: \(reason)" }
}
