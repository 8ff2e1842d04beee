/// Byte-level encodings of text fields. Each has a fast path for the common field that needs
/// no change: one scan, one copy.
enum FieldEncoding {
    /// An RFC 4180 field: quoted (with doubled quotes) when it holds the separator, a quote or a
    /// line break, as Python's csv module and pandas expect; written as is otherwise.
    static func csv(_ field: UnsafeBufferPointer<UInt8>, separator: UInt8, to sink: ByteSink) throws {
        var needsQuotes = false
        for byte in field where byte == separator || byte == 0x22 || byte == 0x0A || byte == 0x0D {
            needsQuotes = true
            break
        }
        guard needsQuotes else { return try sink.append(field) }
        try sink.append(0x22)
        var start = 0
        for (i, byte) in field.enumerated() where byte == 0x22 {
            try sink.append(UnsafeBufferPointer(rebasing: field[start...i]))
            start = i // the quote is written again: doubled
        }
        try sink.append(UnsafeBufferPointer(rebasing: field[start...]))
        try sink.append(0x22)
    }

    /// A JSON string with its quotes. Only `"`, `\` and control characters are escaped; UTF-8
    /// passes through (SQLite text from Swift strings is valid UTF-8).
    static func json(_ field: UnsafeBufferPointer<UInt8>, to sink: ByteSink) throws {
        try json(field) { try sink.append($0) }
    }

    /// The same encoding handed to `emit` a run of bytes at a time, for outputs other than a sink
    /// (a WebDataset sample's `.json` is built in memory).
    static func json(_ field: UnsafeBufferPointer<UInt8>, emit: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        func literal(_ text: StaticString) throws {
            try emit(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
        try literal("\"")
        var start = 0
        for (i, byte) in field.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            try emit(UnsafeBufferPointer(rebasing: field[start..<i]))
            switch byte {
            case 0x22: try literal("\\\"")
            case 0x5C: try literal("\\\\")
            case 0x0A: try literal("\\n")
            case 0x0D: try literal("\\r")
            case 0x09: try literal("\\t")
            default:
                try literal("\\u00")
                let digits = [hexDigit(byte >> 4), hexDigit(byte & 0xF)]
                try digits.withUnsafeBufferPointer { try emit($0) }
            }
            start = i + 1
        }
        try emit(UnsafeBufferPointer(rebasing: field[start...]))
        try literal("\"")
    }

    /// A fidelity score as JSON: 4 decimals (the scores' own resolution is coarser), or null.
    static func score(_ value: Float, to sink: ByteSink) throws {
        guard value.isFinite else { return try sink.append("null") }
        let scaled = Int64((Double(value) * 10_000).rounded())
        try sink.appendDecimal(scaled / 10_000)
        let fraction = scaled % 10_000
        guard fraction != 0 else { return }
        var digits = Array(String(fraction).utf8)
        digits.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: 4 - digits.count), at: 0)
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        try sink.append(UInt8(ascii: "."))
        try digits.withUnsafeBufferPointer { try sink.append($0) }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }

    /// One line of a line-aligned text file: every character Python's `str.splitlines()` breaks
    /// on (LF, CR, VT, FF, FS, GS, RS, NEL, LS, PS) becomes a space, so the file has exactly one
    /// line per row whichever way a loader splits it.
    static func line(_ field: UnsafeBufferPointer<UInt8>, to sink: ByteSink) throws {
        var start = 0
        var i = 0
        let n = field.count
        while i < n {
            let byte = field[i]
            var breakLength = 0
            if byte < 0x20 {
                if byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C || (byte >= 0x1C && byte <= 0x1E) {
                    breakLength = 1
                }
            } else if byte == 0xC2, i + 1 < n, field[i + 1] == 0x85 {
                breakLength = 2
            } else if byte == 0xE2, i + 2 < n, field[i + 1] == 0x80, field[i + 2] == 0xA8 || field[i + 2] == 0xA9 {
                breakLength = 3
            }
            if breakLength > 0 {
                try sink.append(UnsafeBufferPointer(rebasing: field[start..<i]))
                try sink.append(0x20)
                i += breakLength
                start = i
            } else {
                i += 1
            }
        }
        try sink.append(UnsafeBufferPointer(rebasing: field[start...]))
        try sink.append(0x0A)
    }
}
