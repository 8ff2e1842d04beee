/// What pax `x` and GNU `L`/`K` headers said about the member that follows them.
struct PendingExtendedHeaders {
    var path: String?
    var linkPath: String?
    var size: Int64?
    var mtime: Int64?
    var gnuLongName: String?
    var gnuLongLink: String?
    private var sawHeader = false

    /// Nothing is waiting for its member (so end of file here is a clean end).
    var isEmpty: Bool { !sawHeader && gnuLongName == nil && gnuLongLink == nil }

    /// Takes the records this reader uses; an empty value unsets the key (POSIX), and a
    /// number that does not parse is an error rather than a silent 0.
    mutating func apply(_ header: PaxExtendedHeader, reportingAt offset: Int64, file: String) throws {
        sawHeader = true
        for record in header.records {
            let text = String(decoding: record.value, as: UTF8.self)
            switch record.key {
            case "path": path = text.isEmpty ? nil : text
            case "linkpath": linkPath = text.isEmpty ? nil : text
            case "size":
                if text.isEmpty { size = nil; continue }
                guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                    let value = Int64(text)
                else {
                    throw TarError(
                        .badHeader, file: file, offset: offset, member: path,
                        detail: "pax size \(text.debugDescription) is not a non-negative decimal number")
                }
                size = value
            case "mtime":
                if text.isEmpty { mtime = nil; continue }
                guard let value = Self.seconds(text) else {
                    throw TarError(
                        .badHeader, file: file, offset: offset, member: path,
                        detail: "pax mtime \(text.debugDescription) is not a decimal number")
                }
                mtime = value
            default:
                continue
            }
        }
    }

    /// "[-]DIGITS[.DIGITS]" to whole seconds, rounding toward negative infinity.
    static func seconds(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, let seconds = Int64(whole) else { return nil }
        var hasFraction = false
        if parts.count == 2 {
            guard parts[1].utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
            hasFraction = parts[1].utf8.contains { $0 != UInt8(ascii: "0") }
        }
        return whole.hasPrefix("-") && hasFraction ? seconds - 1 : seconds
    }
}
