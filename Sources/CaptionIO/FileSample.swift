import Foundation

/// The first bytes of the file (after any BOM), parsed a few ways so detection can compare them.
struct FileSample {
    static let maxBytes = 256 * 1024
    static let maxRecords = 20

    let bytes: [UInt8]
    /// True when `bytes` is the whole rest of the file.
    let isComplete: Bool

    init(_ base: UnsafePointer<UInt8>, start: Int, limit: Int, isEOF: Bool) {
        let count = min(limit - start, Self.maxBytes)
        bytes = Array(UnsafeBufferPointer(start: base + start, count: count))
        isComplete = isEOF && count == limit - start
    }

    var isBlank: Bool {
        bytes.allSatisfy {
            $0 == ByteValue.space || $0 == ByteValue.tab || $0 == ByteValue.lineFeed || $0 == ByteValue.carriageReturn
        }
    }

    var firstNonBlankByte: UInt8? {
        bytes.first {
            !($0 == ByteValue.space || $0 == ByteValue.tab || $0 == ByteValue.lineFeed
                || $0 == ByteValue.carriageReturn)
        }
    }

    /// Non-blank lines (CR stripped), with their 1-based line numbers; a cut-off last line is left out.
    func lines() -> [(line: Int, bytes: ArraySlice<UInt8>)] {
        var result: [(line: Int, bytes: ArraySlice<UInt8>)] = []
        var lineStart = 0
        var lineNumber = 1
        while lineStart < bytes.count, result.count < Self.maxRecords {
            let lineFeed = bytes[lineStart...].firstIndex(of: ByteValue.lineFeed)
            if lineFeed == nil, !isComplete { break }
            var end = lineFeed ?? bytes.count
            let next = end + 1
            if end > lineStart, bytes[end - 1] == ByteValue.carriageReturn { end -= 1 }
            let line = bytes[lineStart..<end]
            if !isBlankLine(line) { result.append((lineNumber, line)) }
            lineStart = next
            lineNumber += 1
        }
        return result
    }

    /// Complete non-blank records split with `delimiter`, fields decoded leniently (detection only).
    func records(delimiter: UInt8) -> (firstLine: Int, rows: [[String]]) {
        bytes.withUnsafeBufferPointer { buffer -> (Int, [[String]]) in
            guard let base = buffer.baseAddress else { return (1, []) }
            var rows: [[String]] = []
            var firstLine = 1
            var line = 1
            var offset = 0
            var fields: [FieldSpan] = []
            var scratch: [UInt8] = []
            while offset < buffer.count, rows.count < Self.maxRecords {
                let outcome = scanDelimitedRecord(
                    base, from: offset, limit: buffer.count, isEOF: isComplete, delimiter: delimiter, fields: &fields)
                guard case .record(let next, let lineFeeds, _) = outcome else { break }
                if !isBlankRecord(base, fields) {
                    if rows.isEmpty { firstLine = line }
                    rows.append(
                        fields.map { span in
                            if span.quoted {
                                unquoteField(base, span, into: &scratch)
                                return String(decoding: scratch, as: UTF8.self)
                            }
                            return String(
                                decoding: UnsafeBufferPointer(start: base + span.start, count: span.end - span.start),
                                as: UTF8.self)
                        })
                }
                line += lineFeeds
                offset = next
            }
            return (firstLine, rows)
        }
    }
}

func isBlankLine(_ line: some Collection<UInt8>) -> Bool {
    line.allSatisfy { $0 == ByteValue.space || $0 == ByteValue.tab }
}

/// A line of nothing but spaces and tabs is not a record (Python's csv.reader yields [] for an
/// empty line; a whitespace-only line carries no caption either).
@inline(__always)
func isBlankRecord(_ base: UnsafePointer<UInt8>, _ fields: [FieldSpan]) -> Bool {
    guard fields.count == 1, !fields[0].quoted else { return false }
    var index = fields[0].start
    while index < fields[0].end {
        let byte = base[index]
        if byte != ByteValue.space, byte != ByteValue.tab { return false }
        index += 1
    }
    return true
}

/// A JSON object, or nil for anything else (invalid JSON, an array, a bare value).
func parseJSONObject(_ bytes: UnsafeBufferPointer<UInt8>) -> [String: Any]? {
    let data = Data(buffer: bytes)
    guard let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
    return value as? [String: Any]
}
