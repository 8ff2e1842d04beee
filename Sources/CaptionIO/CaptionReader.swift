import Foundation

/// Streams records from one caption file. Not Sendable: one reader, one thread.
///
/// Bytes are read in 1 MiB chunks and scanned in place; Strings are built only for the caption
/// and image fields, so memory stays flat whatever the file size (a record may hold at most
/// `recordByteLimit` bytes before it is skipped as a bad row).
public final class CaptionReader: CaptionSource {
    public let layout: CaptionLayout
    /// The file as it appears in messages (the path as given).
    public let fileName: String

    static let chunkSize = 1 << 20

    private let buffer: FileChunkBuffer
    private let plan: ReadPlan
    private let maxCaptionCharacters: Int
    /// Past this a record is not buffered any further but skipped as a bad row.
    private let recordByteLimit: Int
    /// Line number of the byte at `buffer.start`.
    private var line = 1
    private var row = 0
    private var fields: [FieldSpan] = []
    private var unquoted: [UInt8] = []

    public convenience init(url: URL, options: CaptionReaderOptions = .init()) throws {
        try self.init(url: url, options: options, chunkSize: Self.chunkSize)
    }

    /// Small chunk sizes let tests put chunk boundaries inside quotes, CRLFs and doubled quotes.
    init(url: URL, options: CaptionReaderOptions, chunkSize: Int) throws {
        fileName = url.isFileURL ? url.relativePath : url.absoluteString
        maxCaptionCharacters = options.maxCaptionCharacters
        recordByteLimit = max(4 << 20, options.maxCaptionCharacters * 4 + (64 << 10))
        let buffer = try FileChunkBuffer(path: url.path, fileName: fileName, chunkSize: chunkSize)
        try buffer.fillBuffer()
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        if buffer.limit >= 3, buffer.base[0] == bom[0], buffer.base[1] == bom[1], buffer.base[2] == bom[2] {
            buffer.start = 3
        }
        self.buffer = buffer
        let sample = FileSample(buffer.base, start: buffer.start, limit: buffer.limit, isEOF: buffer.isEOF)
        let detector = LayoutDetector(
            fileName: fileName, pathExtension: url.pathExtension.lowercased(), options: options, sample: sample)
        (plan, layout) = try detector.detect()
        fields.reserveCapacity(16)
        if case .delimited(let delimited) = plan, delimited.hasHeader {
            skipHeader(delimited)
        }
    }

    /// The next record or bad row; nil at the end of the file. Throws only for read errors.
    public func next() throws -> CaptionReadResult? {
        switch plan {
        case .delimited(let delimited): return try nextDelimited(delimited)
        case .jsonLines(let keys): return try nextLine { self.jsonRecord($0, keys: keys) }
        case .text: return try nextLine { self.textRecord($0) }
        }
    }

    // MARK: CSV / TSV

    /// Detection parsed the header from the first chunk, so it is complete in the window.
    private func skipHeader(_ plan: ReadPlan.Delimited) {
        while buffer.start < buffer.limit {
            let outcome = scanDelimitedRecord(
                buffer.base, from: buffer.start, limit: buffer.limit, isEOF: buffer.isEOF, delimiter: plan.delimiter,
                fields: &fields)
            guard case .record(let next, let lineFeeds, _) = outcome else { return }
            let blank = isBlankRecord(buffer.base, fields)
            line += lineFeeds
            buffer.start = next
            if !blank { return }
        }
    }

    private func nextDelimited(_ plan: ReadPlan.Delimited) throws -> CaptionReadResult? {
        while true {
            if buffer.start >= buffer.limit {
                if !(try buffer.refill()) { return nil }
                continue
            }
            let outcome = scanDelimitedRecord(
                buffer.base, from: buffer.start, limit: buffer.limit, isEOF: buffer.isEOF, delimiter: plan.delimiter,
                fields: &fields)
            switch outcome {
            case .needMore:
                if buffer.limit - buffer.start >= recordByteLimit {
                    return try skipOversizedDelimited(plan)
                }
                try buffer.refill()
            case .unbalancedQuote:
                let bad = badRow(.unbalancedQuote, "unbalanced quote: a quoted field opened here never closes")
                line += countLineFeeds(from: buffer.start, to: buffer.limit)
                buffer.start = buffer.limit
                return .bad(bad)
            case .record(let next, let lineFeeds, let hasNUL):
                defer {
                    line += lineFeeds
                    buffer.start = next
                }
                if isBlankRecord(buffer.base, fields) { continue }
                return delimitedRecord(plan, hasNUL: hasNUL)
            }
        }
    }

    private func delimitedRecord(_ plan: ReadPlan.Delimited, hasNUL: Bool) -> CaptionReadResult {
        defer { row += 1 }
        if hasNUL { return .bad(badRow(.nulByte, "NUL byte in the record")) }
        let needed = max(plan.captionIndex, plan.imageIndex ?? 0, plan.idIndex ?? 0) + 1
        if fields.count < needed {
            let column =
                plan.captionIndex + 1 == needed
                ? "caption (\(plan.captionLabel))"
                : plan.imageIndex.map({ $0 + 1 }) == needed
                    ? "image (\(plan.imageLabel ?? ""))" : "id (\(plan.idLabel ?? ""))"
            return .bad(
                badRow(
                    .missingColumn,
                    "missing column: the row has \(fields.count) field\(fields.count == 1 ? "" : "s"), the \(column) needs \(needed)"
                ))
        }
        guard let caption = decodeField(fields[plan.captionIndex]) else {
            return .bad(badRow(.invalidUTF8, "invalid UTF-8 in the caption"))
        }
        var image: String?
        if let imageIndex = plan.imageIndex {
            guard let decoded = decodeField(fields[imageIndex]) else {
                return .bad(badRow(.invalidUTF8, "invalid UTF-8 in the image column"))
            }
            image = decoded
        }
        var key: String?
        if let idIndex = plan.idIndex {
            guard let decoded = decodeField(fields[idIndex]) else {
                return .bad(badRow(.invalidUTF8, "invalid UTF-8 in the id column"))
            }
            key = decoded
        }
        if let problem = captionProblem(caption) { return .bad(problem) }
        return .record(CaptionRecord(line: line, row: row, caption: caption, image: image, key: key))
    }

    @inline(__always)
    private func decodeField(_ span: FieldSpan) -> String? {
        CaptionIO.decodeField(buffer.base, span, scratch: &unquoted)
    }

    /// Walks the rest of a record too large to buffer without keeping its bytes.
    private func skipOversizedDelimited(_ plan: ReadPlan.Delimited) throws -> CaptionReadResult {
        var state = DelimitedSkipState()
        let startLine = line
        defer { row += 1 }
        while true {
            if let next = state.consume(buffer.base, from: buffer.start, limit: buffer.limit, delimiter: plan.delimiter)
            {
                buffer.start = next
                line += state.lineFeeds
                return .bad(
                    BadRow(
                        file: fileName, line: startLine, row: row, reason: .captionTooLong,
                        detail: "caption too long: the record is over \(recordByteLimit) bytes"))
            }
            buffer.discardAll()
            if !(try buffer.refill()) {
                line += state.lineFeeds
                if state.isInsideQuotes {
                    return .bad(
                        BadRow(
                            file: fileName, line: startLine, row: row, reason: .unbalancedQuote,
                            detail: "unbalanced quote: a quoted field opened here never closes"))
                }
                return .bad(
                    BadRow(
                        file: fileName, line: startLine, row: row, reason: .captionTooLong,
                        detail: "caption too long: the record is over \(recordByteLimit) bytes"))
            }
        }
    }

    // MARK: JSONL and text

    /// Finds the next non-blank line and hands its bytes (without CR/LF) to `makeResult`.
    private func nextLine(_ makeResult: (UnsafeBufferPointer<UInt8>) -> CaptionReadResult) throws -> CaptionReadResult?
    {
        while true {
            let available = buffer.limit - buffer.start
            if available == 0 {
                if !(try buffer.refill()) { return nil }
                continue
            }
            let lineStart = buffer.base + buffer.start
            let lineFeed = memchr(lineStart, Int32(ByteValue.lineFeed), available)
            var length: Int
            let next: Int
            if let lineFeed {
                length = UnsafeRawPointer(lineFeed) - UnsafeRawPointer(lineStart)
                next = buffer.start + length + 1
            } else if buffer.isEOF {
                length = available
                next = buffer.limit
            } else {
                if available >= recordByteLimit { return try skipOversizedLine() }
                try buffer.refill()
                continue
            }
            if length > 0, lineStart[length - 1] == ByteValue.carriageReturn { length -= 1 }
            let bytes = UnsafeBufferPointer(start: lineStart, count: length)
            defer {
                buffer.start = next
                line += 1
            }
            if isBlankLine(bytes) { continue }
            defer { row += 1 }
            if memchr(lineStart, 0, length) != nil { return .bad(badRow(.nulByte, "NUL byte in the line")) }
            return makeResult(bytes)
        }
    }

    private func skipOversizedLine() throws -> CaptionReadResult {
        defer {
            row += 1
            line += 1
        }
        let bad = badRow(.captionTooLong, "caption too long: the line is over \(recordByteLimit) bytes")
        while true {
            let available = buffer.limit - buffer.start
            if let lineFeed = memchr(buffer.base + buffer.start, Int32(ByteValue.lineFeed), available) {
                buffer.start += (UnsafeRawPointer(lineFeed) - UnsafeRawPointer(buffer.base + buffer.start)) + 1
                return .bad(bad)
            }
            buffer.discardAll()
            if !(try buffer.refill()) { return .bad(bad) }
        }
    }

    private func textRecord(_ bytes: UnsafeBufferPointer<UInt8>) -> CaptionReadResult {
        guard let caption = String(validating: bytes, as: UTF8.self) else {
            return .bad(badRow(.invalidUTF8, "invalid UTF-8 in the line"))
        }
        if let problem = captionProblem(caption) { return .bad(problem) }
        return .record(CaptionRecord(line: line, row: row, caption: caption, image: nil))
    }

    private func jsonRecord(_ bytes: UnsafeBufferPointer<UInt8>, keys: ReadPlan.JSONLines) -> CaptionReadResult {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            return .bad(badRow(.invalidUTF8, "invalid UTF-8 in the line"))
        }
        guard let object = parseJSONObject(bytes) else {
            return .bad(badRow(.invalidJSON, "invalid JSON: the line is not a JSON object"))
        }
        let caption: String
        switch stringValue(object, key: keys.captionKey) {
        case .success(let value): caption = value
        case .failure(let bad): return .bad(bad)
        }
        var image: String?
        if let imageKey = keys.imageKey {
            switch stringValue(object, key: imageKey) {
            case .success(let value): image = value
            case .failure(let bad): return .bad(bad)
            }
        }
        var key: String?
        if let idKey = keys.idKey {
            switch idValue(object, key: idKey) {
            case .success(let value): key = value
            case .failure(let bad): return .bad(bad)
            }
        }
        if [caption, image, key].contains(where: { $0?.unicodeScalars.contains("\0") == true }) {
            return .bad(badRow(.nulByte, "NUL character (\\u0000) in a value"))
        }
        if let problem = captionProblem(caption) { return .bad(problem) }
        return .record(CaptionRecord(line: line, row: row, caption: caption, image: image, key: key))
    }

    private func stringValue(_ object: [String: Any], key: String) -> Result<String, BadRow> {
        guard let value = object[key], !(value is NSNull) else {
            return .failure(badRow(.missingColumn, "missing column: no key '\(key)' (or it is null)"))
        }
        guard let text = value as? String else {
            return .failure(
                badRow(.invalidJSON, "invalid JSON value: key '\(key)' is \(jsonTypeName(value)), not a string"))
        }
        return .success(text)
    }

    /// Ids are strings or integers (DataComp's `uid` is a hex string, many datasets number their
    /// rows); a missing or null id leaves the record without one, as a null Parquet id does.
    private func idValue(_ object: [String: Any], key: String) -> Result<String?, BadRow> {
        guard let value = object[key], !(value is NSNull) else { return .success(nil) }
        if let text = value as? String { return .success(text) }
        // JSONSerialization boxes true/false as NSNumbers too; their objCType is "c".
        if let number = value as? NSNumber, "silqISLQ".utf8.contains(UInt8(bitPattern: number.objCType.pointee)) {
            return .success(number.stringValue)
        }
        return .failure(
            badRow(
                .invalidJSON,
                "invalid JSON value: id key '\(key)' is \(jsonTypeName(value)), not a string or an integer"))
    }

    private func jsonTypeName(_ value: Any) -> String {
        switch value {
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        case is Bool, is NSNumber: return "a number or boolean"
        default: return "not a string"
        }
    }

    // MARK: shared checks

    private func captionProblem(_ caption: String) -> BadRow? {
        CaptionCheck.problem(caption, maxCharacters: maxCaptionCharacters).map { badRow($0.reason, $0.detail) }
    }

    private func badRow(_ reason: BadRowReason, _ detail: String) -> BadRow {
        BadRow(file: fileName, line: line, row: row, reason: reason, detail: detail)
    }

    private func countLineFeeds(from start: Int, to end: Int) -> Int {
        var count = 0
        for index in start..<end where buffer.base[index] == ByteValue.lineFeed { count += 1 }
        return count
    }
}
