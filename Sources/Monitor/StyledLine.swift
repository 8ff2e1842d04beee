/// A line of the status display as runs of text with an optional colour, so that it can be cut
/// to the terminal's width before any escape sequence is added.
public struct StyledLine: Sendable, Equatable {
    public enum Color: Int, Sendable { case green = 32, yellow = 33, red = 31, dim = 2, bold = 1, cyan = 36 }

    public var runs: [(text: String, color: Color?)] = []

    public init(_ text: String = "", _ color: Color? = nil) {
        if !text.isEmpty { runs.append((text, color)) }
    }

    public static func == (a: StyledLine, b: StyledLine) -> Bool { a.plain == b.plain }

    public mutating func add(_ text: String, _ color: Color? = nil) {
        if !text.isEmpty { runs.append((text, color)) }
    }

    public var plain: String { runs.map(\.text).joined() }

    /// At most `width` characters (one column each: the display uses no wide characters of its
    /// own; wide ones in captions may overflow a little), coloured when `color`.
    public func rendered(width: Int, color: Bool) -> String {
        var remaining = max(0, width)
        var out = ""
        for run in runs where remaining > 0 {
            var text = run.text
            if text.count > remaining {
                text = remaining > 1 ? String(text.prefix(remaining - 1)) + "…" : String(text.prefix(remaining))
            }
            remaining -= text.count
            if color, let c = run.color { out += "\u{1B}[\(c.rawValue)m\(text)\u{1B}[0m" } else { out += text }
        }
        return out
    }
}
