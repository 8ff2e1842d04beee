/// Finds the folded content words of UTF-8 text (the rules are `ContentWords`'), one hash at a
/// time. The score runs on every rewrite of a job, so the scan works eight bytes at a time:
/// the text is first copied to the stack with every separator byte turned into 0 and letters
/// lower-cased, and a word is then a run of non-zero bytes found and hashed a word-sized load
/// at a time. Nothing is allocated on the heap for texts of caption size, and no closure
/// captures mutable state (that costs a dynamic exclusivity check per word).
struct ContentWordScanner {
    private let bytes: UnsafeMutablePointer<UInt8>
    private let count: Int
    private var position = 0
    /// Held for the scan so the global's lazy initialiser is not consulted once per word.
    private let stopWords = StopWords.table

    /// Zero bytes after the text, so a load of 8 bytes at any position inside it stays in the buffer.
    private static let padding = 8

    /// Lends `body` a scanner over a normalised copy of `text` on the stack.
    static func scan<R>(_ text: UnsafeBufferPointer<UInt8>, _ body: (inout ContentWordScanner) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: text.count + padding) { buffer in
            let p = buffer.baseAddress!
            for i in 0..<text.count { p[i] = normalised(text[i]) }
            (p + text.count).initialize(repeating: 0, count: padding)
            var scanner = ContentWordScanner(bytes: p, count: text.count)
            return body(&scanner)
        }
    }

    private init(bytes: UnsafeMutablePointer<UInt8>, count: Int) {
        self.bytes = bytes
        self.count = count
    }

    /// ASCII letters lower-cased, digits and non-ASCII bytes kept, every other byte 0. Masks
    /// rather than `||`, so the copy loop has no branch and vectorises.
    @inline(__always)
    static func normalised(_ b: UInt8) -> UInt8 {
        let lower = b | (b &- 0x41 < 26 ? 0x20 : 0)
        let letter: UInt8 = lower &- 0x61 < 26 ? 0xFF : 0
        let digit: UInt8 = lower &- 0x30 < 10 ? 0xFF : 0
        let high: UInt8 = lower >= 0x80 ? 0xFF : 0
        return lower & (letter | digit | high)
    }

    /// The next content word's hash; nil at the end.
    @inline(__always)
    mutating func next() -> UInt64? {
        var i = position
        while i < count {
            var chunk = load(i)
            while chunk == 0 {
                i += 8
                guard i < count else { break }
                chunk = load(i)
            }
            guard chunk != 0 else { break }
            i += chunk.trailingZeroBitCount >> 3
            let start = i
            var h = Self.seed
            while true {
                chunk = load(i)
                let zeros = Self.zeroBytes(chunk)
                if zeros == 0 {
                    h = Self.mix(h, chunk)
                    i += 8
                    continue
                }
                let k = zeros.trailingZeroBitCount >> 3
                if k > 0 { h = Self.mix(h, chunk & (UInt64.max >> (64 - 8 * k))) }
                i += k
                break
            }
            h = Self.finish(h, length: i - start)
            if stopWords.contains(h) { continue }
            position = i
            // Only words ending in s, g, d or e have a suffix rule that applies.
            let last = bytes[i - 1]
            guard last == 0x73 || last == 0x67 || last == 0x64 || last == 0x65 else { return h }
            let word = UnsafeMutableBufferPointer(start: bytes + start, count: i - start)
            let folded = SuffixFolding.fold(word)
            if folded == word.count && word[folded - 1] == last { return h }
            return hashInBuffer(from: start, count: folded)
        }
        position = count
        return nil
    }

    /// `hash` of bytes in the padded buffer, a load at a time.
    @inline(__always)
    private func hashInBuffer(from start: Int, count: Int) -> UInt64 {
        var h = Self.seed
        var i = 0
        while i + 8 <= count {
            h = Self.mix(h, load(start + i))
            i += 8
        }
        if i < count { h = Self.mix(h, load(start + i) & (UInt64.max >> (64 - 8 * (count - i)))) }
        return Self.finish(h, length: count)
    }

    @inline(__always)
    private func load(_ i: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self))
    }

    /// The high bit of every zero byte of `x`. Only the lowest one is exact (a borrow can mark
    /// a byte above it), which is the only one read.
    @inline(__always)
    private static func zeroBytes(_ x: UInt64) -> UInt64 {
        (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    /// The same hash as the scan's, of bytes that hold no 0: a multiply-xorshift over
    /// little-endian 8-byte chunks, the last one zero-filled, then the length. A word of at
    /// most 8 bytes (nearly every one) maps to its hash one-to-one.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = seed
        var i = 0
        while i < bytes.count {
            var chunk: UInt64 = 0
            for k in 0..<min(8, bytes.count - i) { chunk |= UInt64(bytes[i + k]) << (8 * k) }
            h = mix(h, chunk)
            i += 8
        }
        return finish(h, length: bytes.count)
    }

    @inline(__always)
    private static func mix(_ h: UInt64, _ chunk: UInt64) -> UInt64 {
        let m = (h ^ chunk) &* 0x9E37_79B9_7F4A_7C15
        return m ^ (m >> 32)
    }

    @inline(__always)
    private static func finish(_ h: UInt64, length: Int) -> UInt64 {
        let m = (h ^ UInt64(length)) &* 0xBF58_476D_1CE4_E5B9
        return m ^ (m >> 31)
    }

    private static let seed: UInt64 = 0x243F_6A88_85A3_08D3
}
