import Foundation

/// Every record of a delimited file read whole, split by the same RFC 4180 grammar as
/// `CaptionReader` but with no header or column detection: for files whose layout is fixed and
/// that the caller holds in memory anyway, such as the LaCLIP training CSV the trainer reads.
public enum DelimitedRecords {
    public struct Record: Sendable, Equatable {
        /// 1-based line where the record starts.
        public var line: Int
        public var fields: [String]
    }

    /// Blank lines are not records; a BOM is skipped. Invalid UTF-8 or a quote that never
    /// closes fails with the file and line.
    public static func read(_ url: URL, delimiter: UInt8 = UInt8(ascii: ",")) throws(CaptionFileError) -> [Record] {
        let name = url.isFileURL ? url.relativePath : url.absoluteString
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CaptionFileError(file: name, kind: .cannotOpen, message: "cannot read: \(error.localizedDescription)")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return try bytes.withUnsafeBufferPointer { buffer throws(CaptionFileError) -> [Record] in
            guard let base = buffer.baseAddress else { return [] }
            var records: [Record] = []
            var spans: [FieldSpan] = []
            var scratch: [UInt8] = []
            var offset = 0
            var line = 1
            while offset < buffer.count {
                let outcome = scanDelimitedRecord(
                    base, from: offset, limit: buffer.count, isEOF: true, delimiter: delimiter, fields: &spans)
                guard case .record(let next, let lineFeeds, _) = outcome else {
                    throw CaptionFileError(
                        file: name, line: line, kind: .corrupt,
                        message: "unbalanced quote: a quoted field opened here never closes")
                }
                if !isBlankRecord(base, spans) {
                    var fields: [String] = []
                    for span in spans {
                        guard let decoded = decodeField(base, span, scratch: &scratch) else {
                            throw CaptionFileError(
                                file: name, line: line, kind: .corrupt,
                                message: "invalid UTF-8 in field \(fields.count)")
                        }
                        fields.append(decoded)
                    }
                    records.append(Record(line: line, fields: fields))
                }
                line += lineFeeds
                offset = next
            }
            return records
        }
    }
}
