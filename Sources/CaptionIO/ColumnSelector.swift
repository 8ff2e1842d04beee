/// Which column (CSV/TSV) or key (JSONL) holds a field.
public enum ColumnSelector: Sendable, Equatable, Codable, CustomStringConvertible {
    case name(String)
    /// 0-based, so `--caption-column 1` is the second column.
    case index(Int)

    /// All ASCII digits -> `.index`, anything else -> `.name` (so a column literally named "2"
    /// cannot be selected by name; select it by its index instead).
    public init(parsing text: String) {
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let value = Int(text)
        {
            self = .index(value)
        } else {
            self = .name(text)
        }
    }

    /// The text that `init(parsing:)` turns back into this selector.
    public var description: String {
        switch self {
        case .name(let name): return name
        case .index(let index): return String(index)
        }
    }
}
