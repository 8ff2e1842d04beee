/// The records of a pax extended header (`x` or `g`): "LENGTH KEY=VALUE\n", LENGTH counting
/// the whole record in decimal.
struct PaxExtendedHeader {
    var records: [(key: String, value: [UInt8])]

    init(records: [(key: String, value: [UInt8])]) {
        self.records = records
    }

    /// Parses the data of an extended header; the message says what is malformed.
    /// Parsing stops at a NUL byte, as Python's tarfile does, for writers that pad with zeros.
    static func parse(_ data: [UInt8]) -> Result<PaxExtendedHeader, PaxParseFailure> {
        var records: [(key: String, value: [UInt8])] = []
        var position = 0
        while position < data.count, data[position] != 0 {
            var cursor = position
            var length = 0
            while cursor < data.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(data[cursor]) {
                length = length * 10 + Int(data[cursor] - UInt8(ascii: "0"))
                cursor += 1
                if length > data.count {
                    return .failure(
                        PaxParseFailure("pax record at byte \(position) claims more bytes than the header has"))
                }
            }
            guard cursor > position, cursor < data.count, data[cursor] == UInt8(ascii: " ") else {
                return .failure(
                    PaxParseFailure("pax record at byte \(position) does not start with a decimal length and a space"))
            }
            let end = position + length
            guard end <= data.count, end > cursor + 1, data[end - 1] == UInt8(ascii: "\n") else {
                return .failure(
                    PaxParseFailure(
                        "pax record at byte \(position) has length \(length), which does not end at a newline inside the header"
                    ))
            }
            let body = data[(cursor + 1)..<(end - 1)]
            guard let equals = body.firstIndex(of: UInt8(ascii: "=")), equals > body.startIndex else {
                return .failure(PaxParseFailure("pax record at byte \(position) has no KEY= part"))
            }
            let key = String(decoding: body[body.startIndex..<equals], as: UTF8.self)
            records.append((key: key, value: Array(body[(equals + 1)...])))
            position = end
        }
        return .success(PaxExtendedHeader(records: records))
    }

    /// The last value for `key` (later records override earlier ones).
    func value(_ key: String) -> [UInt8]? {
        records.last { $0.key == key }?.value
    }

    /// The header's data: the records in order, each with its self-inclusive length.
    func encoded() -> [UInt8] {
        var data: [UInt8] = []
        for record in records {
            let body = Array(" \(record.key)=".utf8) + record.value + [UInt8(ascii: "\n")]
            // The length counts its own digits, so grow it until it is stable.
            var length = body.count + 1
            while String(length).utf8.count + body.count != length {
                length = String(length).utf8.count + body.count
            }
            data += Array(String(length).utf8) + body
        }
        return data
    }
}
