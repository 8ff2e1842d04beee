/// Decodes one flat column chunk, page by page, into dense `ParquetColumnValues`.
/// Scratch buffers (decompressed page, levels, dictionary indices) are reused across pages.
final class ColumnChunkDecoder {
    private let chunk: [UInt8]
    /// The file offset of `chunk[0]`.
    private let chunkOffset: Int64
    private let codec: Int32
    /// Top-level flat columns have a maximum definition level of 1 when optional, 0 when required.
    private let isOptional: Bool
    private let typeLength: Int
    private let decompressor: PageDecompressor
    private var values: ParquetColumnValues
    private var dictionary: ParquetColumnValues?
    private var pageBuffer: [UInt8] = []
    private var levels: [UInt32] = []
    private var present: [Bool] = []
    private var indices: [UInt32] = []

    init(
        chunk: [UInt8], chunkOffset: Int64, codec: Int32, isOptional: Bool, typeLength: Int,
        decompressor: PageDecompressor, template: ParquetColumnValues
    ) {
        self.chunk = chunk
        self.chunkOffset = chunkOffset
        self.codec = codec
        self.isOptional = isOptional
        self.typeLength = typeLength
        self.decompressor = decompressor
        self.values = template
    }

    func decode(expectedValues: Int, uncompressedSizeHint: Int64) throws -> ParquetColumnValues {
        reserve(expectedValues, dataBytes: Int(min(max(uncompressedSizeHint, 0), Int64(chunk.count) * 8)))
        var position = 0
        while values.rowCount < expectedValues {
            guard position < chunk.count else {
                throw DecodeFailure(
                    .corrupt, offset: chunkOffset + Int64(position),
                    "column chunk ends after \(values.rowCount) of its \(expectedValues) values")
            }
            let pageOffset = chunkOffset + Int64(position)
            var reader = ThriftCompactReader(chunk, from: position, fileOffset: chunkOffset)
            let header = try PageHeader(from: &reader)
            let bodyStart = reader.position
            let bodySize = Int(header.compressedSize)
            guard bodySize <= chunk.count - bodyStart else {
                throw DecodeFailure(
                    .corrupt, offset: pageOffset,
                    "page declares \(bodySize) bytes, the column chunk has \(chunk.count - bodyStart) left")
            }
            let bodyOffset = chunkOffset + Int64(bodyStart)
            try chunk.withUnsafeBytes { raw in
                let body = UnsafeRawBufferPointer(rebasing: raw[bodyStart..<(bodyStart + bodySize)])
                switch header.type {
                case .dictionaryPage:
                    try readDictionaryPage(header, body, pageOffset: pageOffset, bodyOffset: bodyOffset)
                case .dataPage:
                    try readDataPage(
                        header, body, pageOffset: pageOffset, bodyOffset: bodyOffset,
                        remaining: expectedValues - values.rowCount)
                case .dataPageV2:
                    try readDataPageV2(
                        header, body, pageOffset: pageOffset, bodyOffset: bodyOffset,
                        remaining: expectedValues - values.rowCount)
                case .indexPage, nil:
                    break
                }
            }
            position = bodyStart + bodySize
        }
        return values
    }

    private func reserve(_ rows: Int, dataBytes: Int) {
        switch values.storage {
        case .bytes:
            values.offsets.reserveCapacity(rows + 1)
            values.data.reserveCapacity(dataBytes)
        case .integers: values.integers.reserveCapacity(rows)
        case .doubles: values.doubles.reserveCapacity(rows)
        case .booleans: values.booleans.reserveCapacity(rows)
        }
    }

    /// Runs `use` on the page's bytes, decompressed into the reused buffer when they are compressed.
    private func withPayload<R>(
        _ body: UnsafeRawBufferPointer, compressed: Bool, uncompressedSize: Int, pageOffset: Int64,
        _ use: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        guard compressed, codec != CompressionCodec.uncompressed else { return try use(body) }
        guard uncompressedSize >= 0,
            uncompressedSize <= PageDecompressor.maximumExpansion(codec: codec, compressed: body.count)
        else {
            throw DecodeFailure(
                .corrupt, offset: pageOffset,
                "page declares \(uncompressedSize) bytes uncompressed from \(body.count): more than \(CompressionCodec.name(codec)) can produce"
            )
        }
        if pageBuffer.count < uncompressedSize {
            pageBuffer = [UInt8](repeating: 0, count: uncompressedSize)
        }
        try pageBuffer.withUnsafeMutableBytes { buffer in
            try decompressor.decompress(
                codec: codec, body, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<uncompressedSize]),
                fileOffset: pageOffset)
        }
        return try pageBuffer.withUnsafeBytes { try use(UnsafeRawBufferPointer(rebasing: $0[0..<uncompressedSize])) }
    }

    private func readDictionaryPage(
        _ header: PageHeader, _ body: UnsafeRawBufferPointer, pageOffset: Int64, bodyOffset: Int64
    ) throws {
        guard header.encoding == Encoding.plain || header.encoding == Encoding.plainDictionary || header.encoding == -1
        else {
            throw DecodeFailure(
                .unsupported, offset: pageOffset, "dictionary page encoded as \(Encoding.name(header.encoding))")
        }
        guard header.numValues >= 0 else {
            throw DecodeFailure(.corrupt, offset: pageOffset, "dictionary page without a value count")
        }
        let compressed = codec != CompressionCodec.uncompressed
        var entries = ParquetColumnValues(
            name: values.name, physicalType: values.physicalType, logicalKind: values.logicalKind)
        try withPayload(body, compressed: true, uncompressedSize: Int(header.uncompressedSize), pageOffset: pageOffset)
        { payload in
            _ = try PlainValueDecoder.decode(
                payload, count: Int(header.numValues), typeLength: typeLength,
                fileOffset: compressed ? pageOffset : bodyOffset, into: &entries)
        }
        entries.rowCount = Int(header.numValues)
        dictionary = entries
    }

    private func readDataPage(
        _ header: PageHeader, _ body: UnsafeRawBufferPointer, pageOffset: Int64, bodyOffset: Int64,
        remaining: Int
    ) throws {
        let rows = try pageRowCount(header, pageOffset: pageOffset, remaining: remaining)
        let compressed = codec != CompressionCodec.uncompressed
        try withPayload(body, compressed: true, uncompressedSize: Int(header.uncompressedSize), pageOffset: pageOffset)
        { payload in
            let dataOffset = compressed ? pageOffset : bodyOffset
            var valuesStart = 0
            var presentCount = rows
            if isOptional {
                guard header.definitionLevelEncoding == Encoding.rle else {
                    throw DecodeFailure(
                        .unsupported, offset: pageOffset,
                        "definition levels encoded as \(Encoding.name(header.definitionLevelEncoding))")
                }
                guard payload.count >= 4 else {
                    throw DecodeFailure(.corrupt, offset: dataOffset, "page ends before its definition levels")
                }
                let length = Int(UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
                guard length <= payload.count - 4 else {
                    throw DecodeFailure(
                        .corrupt, offset: dataOffset, "definition levels of \(length) bytes run past the page")
                }
                presentCount = try readLevels(
                    UnsafeRawBufferPointer(rebasing: payload[4..<(4 + length)]), rows: rows,
                    fileOffset: dataOffset + 4)
                valuesStart = 4 + length
            }
            try readValues(
                header.encoding, UnsafeRawBufferPointer(rebasing: payload[valuesStart...]), count: presentCount,
                rows: rows,
                fileOffset: dataOffset + Int64(valuesStart))
        }
    }

    /// Data page v2: levels come first and are never compressed; `is_compressed` covers the rest.
    private func readDataPageV2(
        _ header: PageHeader, _ body: UnsafeRawBufferPointer, pageOffset: Int64, bodyOffset: Int64,
        remaining: Int
    ) throws {
        let rows = try pageRowCount(header, pageOffset: pageOffset, remaining: remaining)
        let repetitionBytes = Int(header.repetitionLevelsByteLength)
        let definitionBytes = Int(header.definitionLevelsByteLength)
        guard repetitionBytes >= 0, definitionBytes >= 0, repetitionBytes + definitionBytes <= body.count else {
            throw DecodeFailure(
                .corrupt, offset: pageOffset,
                "levels of \(repetitionBytes) + \(definitionBytes) bytes in a page of \(body.count)")
        }
        // A flat column has no repetition levels; a writer may still emit an all-zero run.
        var presentCount = rows
        if isOptional {
            presentCount = try readLevels(
                UnsafeRawBufferPointer(rebasing: body[repetitionBytes..<(repetitionBytes + definitionBytes)]),
                rows: rows, fileOffset: bodyOffset + Int64(repetitionBytes))
        }
        let levelBytes = repetitionBytes + definitionBytes
        let valueBody = UnsafeRawBufferPointer(rebasing: body[levelBytes...])
        let compressed = header.isCompressed && codec != CompressionCodec.uncompressed
        try withPayload(
            valueBody, compressed: header.isCompressed, uncompressedSize: Int(header.uncompressedSize) - levelBytes,
            pageOffset: pageOffset
        ) { payload in
            try readValues(
                header.encoding, payload, count: presentCount, rows: rows,
                fileOffset: compressed ? pageOffset : bodyOffset + Int64(levelBytes))
        }
    }

    private func pageRowCount(_ header: PageHeader, pageOffset: Int64, remaining: Int) throws -> Int {
        guard header.numValues >= 0, Int(header.numValues) <= remaining else {
            throw DecodeFailure(
                .corrupt, offset: pageOffset,
                "page declares \(header.numValues) values where the column chunk has \(remaining) left")
        }
        return Int(header.numValues)
    }

    /// Decodes definition levels (bit width 1) into `present`; returns how many rows are present.
    private func readLevels(_ buffer: UnsafeRawBufferPointer, rows: Int, fileOffset: Int64) throws -> Int {
        if levels.count < rows { levels = [UInt32](repeating: 0, count: rows) }
        if present.count < rows { present = [Bool](repeating: false, count: rows) }
        var decoder = try RleBitPackedHybridDecoder(buffer, bitWidth: 1, fileOffset: fileOffset)
        try levels.withUnsafeMutableBufferPointer { level in
            guard let out = level.baseAddress else { return }
            try decoder.decode(count: rows, into: out)
        }
        var count = 0
        levels.withUnsafeBufferPointer { level in
            present.withUnsafeMutableBufferPointer { flag in
                for row in 0..<rows {
                    let isPresent = level[row] != 0
                    flag[row] = isPresent
                    count += isPresent ? 1 : 0
                }
            }
        }
        return count
    }

    private var storedCount: Int {
        switch values.storage {
        case .bytes: return values.offsets.count - 1
        case .integers: return values.integers.count
        case .doubles: return values.doubles.count
        case .booleans: return values.booleans.count
        }
    }

    /// Appends the page's `count` present values, then spreads them over its `rows` rows.
    private func readValues(_ encoding: Int32, _ page: UnsafeRawBufferPointer, count: Int, rows: Int, fileOffset: Int64)
        throws
    {
        let firstRow = values.rowCount
        let type = values.physicalType
        func unsupported() -> DecodeFailure {
            DecodeFailure(
                .unsupported, offset: fileOffset,
                "\(Encoding.name(encoding)) encoding for a \(type) column is not supported")
        }
        switch encoding {
        case Encoding.plain:
            try PlainValueDecoder.decode(
                page, count: count, typeLength: typeLength, fileOffset: fileOffset, into: &values)
        case Encoding.plainDictionary, Encoding.rleDictionary:
            try readDictionaryIndices(page, count: count, fileOffset: fileOffset)
        case Encoding.rle:
            guard type == .boolean else { throw unsupported() }
            try readRleBooleans(page, count: count, fileOffset: fileOffset)
        case Encoding.deltaBinaryPacked:
            guard type == .int32 || type == .int64 else { throw unsupported() }
            var decoder = DeltaBinaryPackedDecoder(page, from: 0, fileOffset: fileOffset)
            try decoder.decode(expected: count, bits32: type == .int32, into: &values.integers)
        case Encoding.deltaLengthByteArray:
            guard type == .byteArray else { throw unsupported() }
            try DeltaByteArrayDecoder.decodeLengthPrefixed(page, count: count, fileOffset: fileOffset, into: &values)
        case Encoding.deltaByteArray:
            guard type == .byteArray || type == .fixedLenByteArray else { throw unsupported() }
            try DeltaByteArrayDecoder.decodeIncremental(page, count: count, fileOffset: fileOffset, into: &values)
        case Encoding.byteStreamSplit:
            try PlainValueDecoder.decodeByteStreamSplit(page, count: count, fileOffset: fileOffset, into: &values)
        default:
            throw unsupported()
        }
        guard storedCount == firstRow + count else {
            throw DecodeFailure(
                .corrupt, offset: fileOffset, "page decoded to \(storedCount - firstRow) values, expected \(count)")
        }
        if isOptional {
            present.withUnsafeBufferPointer { flags in
                let page = UnsafeBufferPointer(rebasing: flags[0..<rows])
                values.spreadOverNulls(firstRow: firstRow, present: page)
                values.appendValidity(page, nulls: rows - count)
            }
        } else {
            values.rowCount += rows
        }
    }

    private func readRleBooleans(_ page: UnsafeRawBufferPointer, count: Int, fileOffset: Int64) throws {
        guard count > 0 else { return }
        guard page.count >= 4 else {
            throw DecodeFailure(.corrupt, offset: fileOffset, "RLE booleans without a length")
        }
        let length = Int(UInt32(littleEndian: page.loadUnaligned(fromByteOffset: 0, as: UInt32.self)))
        guard length <= page.count - 4 else {
            throw DecodeFailure(.corrupt, offset: fileOffset, "RLE booleans of \(length) bytes run past the page")
        }
        if indices.count < count { indices = [UInt32](repeating: 0, count: count) }
        var decoder = try RleBitPackedHybridDecoder(
            UnsafeRawBufferPointer(rebasing: page[4..<(4 + length)]), bitWidth: 1,
            fileOffset: fileOffset + 4)
        try indices.withUnsafeMutableBufferPointer { buffer in
            guard let out = buffer.baseAddress else { return }
            try decoder.decode(count: count, into: out)
        }
        for index in 0..<count { values.booleans.append(indices[index] != 0) }
    }

    private func readDictionaryIndices(_ page: UnsafeRawBufferPointer, count: Int, fileOffset: Int64) throws {
        guard count > 0 else { return }
        guard let dictionary else {
            throw DecodeFailure(
                .corrupt, offset: fileOffset, "dictionary-encoded page but the column chunk has no dictionary page")
        }
        guard page.count >= 1 else {
            throw DecodeFailure(.corrupt, offset: fileOffset, "dictionary indices without a bit width")
        }
        if indices.count < count { indices = [UInt32](repeating: 0, count: count) }
        var decoder = try RleBitPackedHybridDecoder(
            UnsafeRawBufferPointer(rebasing: page[1...]), bitWidth: Int(page[0]),
            fileOffset: fileOffset + 1)
        try indices.withUnsafeMutableBufferPointer { buffer in
            guard let out = buffer.baseAddress else { return }
            try decoder.decode(count: count, into: out)
        }
        let entries = UInt32(dictionary.rowCount)
        let badIndex = try indices.withUnsafeBufferPointer { index -> UInt32? in
            switch values.storage {
            case .bytes:
                return dictionary.data.withUnsafeBufferPointer { bytes -> UInt32? in
                    for position in 0..<count {
                        let entry = index[position]
                        guard entry < entries else { return entry }
                        let start = dictionary.offsets[Int(entry)]
                        let end = dictionary.offsets[Int(entry) + 1]
                        values.data.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
                        values.offsets.append(values.data.count)
                    }
                    return nil
                }
            case .integers:
                for position in 0..<count {
                    let entry = index[position]
                    guard entry < entries else { return entry }
                    values.integers.append(dictionary.integers[Int(entry)])
                }
            case .doubles:
                for position in 0..<count {
                    let entry = index[position]
                    guard entry < entries else { return entry }
                    values.doubles.append(dictionary.doubles[Int(entry)])
                }
            case .booleans:
                throw DecodeFailure(.unsupported, offset: fileOffset, "dictionary-encoded booleans are not supported")
            }
            return nil
        }
        if let badIndex {
            throw DecodeFailure(
                .corrupt, offset: fileOffset, "dictionary index \(badIndex) but the dictionary has \(entries) entries")
        }
    }
}
