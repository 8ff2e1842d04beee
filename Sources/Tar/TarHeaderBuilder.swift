/// Fills in a ustar header block for the writer. Every field is written the way GNU tar and
/// Python's tarfile write POSIX headers, so any reader of ustar or pax accepts the result.
struct TarHeaderBuilder {
    private(set) var bytes = [UInt8](repeating: 0, count: TarHeaderBlock.size)

    /// Largest value an octal field of `width` bytes holds (width - 1 digits and a NUL).
    static func octalLimit(width: Int) -> Int64 {
        (Int64(1) << (3 * Int64(width - 1))) - 1
    }

    init(name: [UInt8], prefix: [UInt8], typeFlag: UInt8, size: Int64, mode: UInt32, mtime: Int64) {
        typealias Field = TarHeaderBlock.Field
        put(name, at: Field.name)
        put(prefix, at: Field.prefix)
        putOctal(Int64(mode & 0o7777777), at: Field.mode)
        putOctal(0, at: Field.uid)
        putOctal(0, at: Field.gid)
        putOctal(size, at: Field.size)
        putOctal(mtime, at: Field.mtime)
        bytes[Field.typeFlag] = typeFlag
        put(Array("ustar\0".utf8), at: Field.magic)
        put(Array("00".utf8), at: Field.version)
        // The checksum is computed with its own field read as spaces, then written as six
        // octal digits, NUL, space.
        put(Array("        ".utf8), at: Field.checksum)
        let sum = bytes.reduce(0) { $0 + Int64($1) }
        let digits = Array(Self.octal(sum, digits: 6).utf8) + [0, UInt8(ascii: " ")]
        put(digits, at: Field.checksum)
    }

    private mutating func put(_ value: [UInt8], at range: Range<Int>) {
        for (index, byte) in zip(range, value) { bytes[index] = byte }
    }

    /// The caller keeps values inside the field (pax carries anything larger).
    private mutating func putOctal(_ value: Int64, at range: Range<Int>) {
        let clamped = min(max(value, 0), Self.octalLimit(width: range.count))
        put(Array(Self.octal(clamped, digits: range.count - 1).utf8) + [0], at: range)
    }

    private static func octal(_ value: Int64, digits: Int) -> String {
        let text = String(value, radix: 8)
        return String(repeating: "0", count: max(0, digits - text.utf8.count)) + text
    }
}
