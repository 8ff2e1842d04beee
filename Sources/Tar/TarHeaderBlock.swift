/// One 512-byte header block and the field layout shared by v7, ustar, GNU and pax headers.
/// Parsing a field reports failure as nil or a message; the reader turns that into a
/// `TarError` because only it knows the file and offset.
struct TarHeaderBlock {
    static let size = 512

    let bytes: [UInt8]

    enum Field {
        static let name = 0..<100
        static let mode = 100..<108
        static let uid = 108..<116
        static let gid = 116..<124
        static let size = 124..<136
        static let mtime = 136..<148
        static let checksum = 148..<156
        static let typeFlag = 156
        static let linkName = 157..<257
        static let magic = 257..<263
        static let version = 263..<265
        static let userName = 265..<297
        static let groupName = 297..<329
        static let prefix = 345..<500
        /// Old GNU sparse headers: set when extension blocks of sparse entries follow.
        static let gnuSparseIsExtended = 482
        /// In a GNU sparse extension block, set when yet another one follows.
        static let gnuSparseExtensionIsExtended = 504
    }

    var isAllZero: Bool {
        bytes.withUnsafeBufferPointer { block in
            for index in 0..<block.count where block[index] != 0 { return false }
            return true
        }
    }

    var typeFlag: UInt8 { bytes[Field.typeFlag] }

    /// POSIX ustar (and pax) headers: "ustar\0" — only these have a `prefix` field.
    /// Old GNU headers say "ustar  \0" and keep other data (atime, ctime…) in those bytes.
    var isPOSIXUstar: Bool { bytes[Field.magic].elementsEqual("ustar\0".utf8) }

    func string(_ range: Range<Int>) -> String {
        String(decoding: Self.untilNUL(bytes[range]), as: UTF8.self)
    }

    /// The stored checksum matches the sum of the block with the checksum field read as
    /// spaces — unsigned (POSIX) or signed (what some old writers computed); real tar accepts both.
    var hasValidChecksum: Bool {
        guard let stored = Self.number(bytes[Field.checksum]) else { return false }
        // A raw loop: this runs for every header, and generic iteration is slow in debug builds.
        return bytes.withUnsafeBufferPointer { block in
            var unsignedSum: Int64 = 0
            var signedSum: Int64 = 0
            var index = 0
            while index < block.count {
                let byte = Field.checksum.contains(index) ? UInt8(ascii: " ") : block[index]
                unsignedSum &+= Int64(byte)
                signedSum &+= Int64(Int8(bitPattern: byte))
                index += 1
            }
            return stored == unsignedSum || stored == signedSum
        }
    }

    static func untilNUL(_ field: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        if let end = field.firstIndex(of: 0) { return field[field.startIndex..<end] }
        return field
    }

    /// A numeric field: octal ASCII (leading spaces, ended by NUL or space; all blank means 0),
    /// or GNU base-256 (first byte 0x80 positive, 0xFF negative two's complement).
    /// nil when it is neither or does not fit in Int64.
    static func number(_ field: ArraySlice<UInt8>) -> Int64? {
        guard let first = field.first else { return 0 }
        if first == 0x80 || first == 0xFF {
            return base256(field)
        }
        var index = field.startIndex
        while index < field.endIndex, field[index] == UInt8(ascii: " ") { index += 1 }
        var value: Int64 = 0
        while index < field.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(field[index]) {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 8)
            if overflow { return nil }
            value = shifted + Int64(field[index] - UInt8(ascii: "0"))
            index += 1
        }
        // Whatever follows the digits must be terminators only.
        while index < field.endIndex {
            guard field[index] == 0 || field[index] == UInt8(ascii: " ") else { return nil }
            index += 1
        }
        return value
    }

    private static func base256(_ field: ArraySlice<UInt8>) -> Int64? {
        let negative = field.first == 0xFF
        // Magnitude bytes after the marker; a negative number's leading 0xFF bytes are sign.
        var value: Int64 = 0
        var significant = false
        for byte in field.dropFirst() {
            let digit = negative ? ~byte : byte
            if !significant && digit == 0 { continue }
            significant = true
            guard value <= (Int64.max >> 8) else { return nil }
            value = (value << 8) | Int64(digit)
        }
        // Two's complement: -(~x + 1).
        return negative ? -value - 1 : value
    }
}
