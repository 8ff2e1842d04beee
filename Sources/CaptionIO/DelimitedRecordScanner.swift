/// Byte offsets of one field inside the read window. A quoted field's range includes its quotes
/// and whatever follows the closing quote (kept literally, as Python's csv module does).
struct FieldSpan {
    var start: Int
    var end: Int
    var quoted: Bool
}

enum DelimitedScanOutcome: Equatable {
    /// `next` is the offset after the record's line feed (or the end of the file).
    case record(next: Int, lineFeeds: Int, hasNUL: Bool)
    /// The record may continue past the bytes read so far.
    case needMore
    /// A quoted field is still open at the end of the file.
    case unbalancedQuote
}

enum ByteValue {
    static let quote = UInt8(ascii: "\"")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let comma = UInt8(ascii: ",")
    static let tab = UInt8(ascii: "\t")
    static let space = UInt8(ascii: " ")
    static let nul: UInt8 = 0
}

/// Splits one RFC 4180 record (quoted fields may hold delimiters, doubled quotes and line feeds;
/// a CR before the record's LF is not data). A quote is special only at the start of a field,
/// matching Python's csv.reader with its default dialect.
///
/// The scan restarts from the record start after a refill; records are short, so rescanning is
/// cheaper than carrying scanner state across window moves.
@inline(__always)
func scanDelimitedRecord(
    _ base: UnsafePointer<UInt8>, from: Int, limit: Int, isEOF: Bool, delimiter: UInt8,
    fields: inout [FieldSpan]
) -> DelimitedScanOutcome {
    fields.removeAll(keepingCapacity: true)
    var index = from
    var lineFeeds = 0
    var hasNUL = false
    // Every special byte (NUL, TAB, LF, CR, '"', ',') is <= ','; most text bytes skip all checks.
    let highestSpecial = max(ByteValue.comma, delimiter)
    while true {
        let fieldStart = index
        var quoted = false
        if index < limit, base[index] == ByteValue.quote {
            quoted = true
            index += 1
            while true {
                while index < limit {
                    let byte = base[index]
                    if byte == ByteValue.quote { break }
                    if byte == ByteValue.lineFeed {
                        lineFeeds += 1
                    } else if byte == ByteValue.nul {
                        hasNUL = true
                    }
                    index += 1
                }
                if index >= limit { return isEOF ? .unbalancedQuote : .needMore }
                if index + 1 < limit {
                    if base[index + 1] == ByteValue.quote {
                        index += 2
                        continue
                    }
                } else if !isEOF {
                    // Cannot yet tell a closing quote from the first half of a doubled one.
                    return .needMore
                }
                index += 1
                break
            }
        }
        var endedField = false
        while index < limit {
            let byte = base[index]
            if byte > highestSpecial {
                index += 1
                continue
            }
            if byte == delimiter {
                fields.append(FieldSpan(start: fieldStart, end: index, quoted: quoted))
                index += 1
                endedField = true
                break
            }
            if byte == ByteValue.lineFeed {
                var end = index
                if end > fieldStart, base[end - 1] == ByteValue.carriageReturn { end -= 1 }
                fields.append(FieldSpan(start: fieldStart, end: end, quoted: quoted))
                return .record(next: index + 1, lineFeeds: lineFeeds + 1, hasNUL: hasNUL)
            }
            if byte == ByteValue.nul { hasNUL = true }
            index += 1
        }
        if endedField { continue }
        if !isEOF { return .needMore }
        var end = limit
        if end > fieldStart, base[end - 1] == ByteValue.carriageReturn { end -= 1 }
        fields.append(FieldSpan(start: fieldStart, end: end, quoted: quoted))
        return .record(next: limit, lineFeeds: lineFeeds, hasNUL: hasNUL)
    }
}

/// Appends a quoted field's value to `output`: drops the enclosing quotes, turns `""` into `"`,
/// keeps anything after the closing quote literally.
func unquoteField(_ base: UnsafePointer<UInt8>, _ span: FieldSpan, into output: inout [UInt8]) {
    output.removeAll(keepingCapacity: true)
    var index = span.start + 1
    var insideQuotes = true
    while index < span.end {
        let byte = base[index]
        if insideQuotes, byte == ByteValue.quote {
            if index + 1 < span.end, base[index + 1] == ByteValue.quote {
                output.append(ByteValue.quote)
                index += 2
                continue
            }
            insideQuotes = false
            index += 1
            continue
        }
        output.append(byte)
        index += 1
    }
}

/// A field's value as UTF-8 text, nil when it is not valid UTF-8 (quoted fields are unquoted
/// through `scratch`).
@inline(__always)
func decodeField(_ base: UnsafePointer<UInt8>, _ span: FieldSpan, scratch: inout [UInt8]) -> String? {
    if span.quoted {
        unquoteField(base, span, into: &scratch)
        return scratch.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) }
    }
    return String(
        validating: UnsafeBufferPointer(start: base + span.start, count: span.end - span.start), as: UTF8.self)
}

/// Follows the same grammar byte by byte with explicit state, so a record too large to hold can
/// be skipped across any number of window refills.
struct DelimitedSkipState {
    enum Position { case fieldStart, unquoted, quoted, quoteInQuoted }
    var position = Position.fieldStart
    var lineFeeds = 0

    /// Consumes bytes until the record ends; returns the offset after it, or nil if more is needed.
    mutating func consume(_ base: UnsafePointer<UInt8>, from: Int, limit: Int, delimiter: UInt8) -> Int? {
        var index = from
        while index < limit {
            let byte = base[index]
            index += 1
            if byte == ByteValue.lineFeed { lineFeeds += 1 }
            switch position {
            case .fieldStart, .unquoted, .quoteInQuoted:
                if byte == ByteValue.lineFeed { return index }
                if byte == delimiter {
                    position = .fieldStart
                } else if byte == ByteValue.quote, position != .unquoted {
                    // Opens a field, or is the second half of a doubled quote.
                    position = .quoted
                } else {
                    position = .unquoted
                }
            case .quoted:
                if byte == ByteValue.quote { position = .quoteInQuoted }
            }
        }
        return nil
    }

    var isInsideQuotes: Bool { position == .quoted }
}
