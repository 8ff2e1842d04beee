/// One JSON object per exported row:
/// `{"row","caption_id","source_id","source_row","source_line","key","image","original","rewrites",
/// "metadata","filled_with_original","duplicate_of"}` (see the README's schema).
final class JSONLWriter: ExportWriter {
    private let sink: ByteSink
    /// `"name":` per style, encoded once.
    private let styleKeys: [[UInt8]]
    private let styleNames: [[UInt8]]
    let needsMetadata = true

    init(sink: ByteSink, styles: [String]) {
        self.sink = sink
        styleNames = styles.map { Array($0.utf8) }
        styleKeys = styles.map { JSONLWriter.encodedKey($0) }
    }

    private static func encodedKey(_ name: String) -> [UInt8] {
        var out: [UInt8] = [0x22]
        for byte in name.utf8 {
            if byte == 0x22 || byte == 0x5C { out.append(0x5C) }
            out.append(byte < 0x20 ? 0x20 : byte)
        }
        return out + [0x22, UInt8(ascii: ":")]
    }

    func write(_ row: ExportRow) throws {
        try sink.append("{\"row\":")
        try sink.appendDecimal(Int64(row.index))
        try sink.append(",\"caption_id\":")
        try sink.appendDecimal(row.captionID)
        try sink.append(",\"source_id\":")
        try sink.appendDecimal(Int64(row.sourceID))
        try sink.append(",\"source_row\":")
        try sink.appendDecimal(row.sourceRow)
        try sink.append(",\"source_line\":")
        try sink.appendDecimal(row.sourceLine)
        try sink.append(",\"key\":")
        if let key = row.key { try FieldEncoding.json(key, to: sink) } else { try sink.append("null") }
        try sink.append(",\"image\":")
        if let image = row.image { try FieldEncoding.json(image, to: sink) } else { try sink.append("null") }
        try sink.append(",\"original\":")
        try FieldEncoding.json(row.caption, to: sink)
        try sink.append(",\"rewrites\":{")
        for (i, rewrite) in row.rewrites.enumerated() {
            if i > 0 { try sink.append(UInt8(ascii: ",")) }
            try appendKey(i)
            try FieldEncoding.json(rewrite, to: sink)
        }
        try sink.append("},\"metadata\":{")
        for (i, meta) in row.metas.enumerated() {
            if i > 0 { try sink.append(UInt8(ascii: ",")) }
            try appendKey(i)
            if row.filled[i] {
                try sink.append("null")
                continue
            }
            try sink.append("{\"model\":")
            try FieldEncoding.json(meta.model, to: sink)
            try sink.append(",\"seed\":")
            try sink.appendDecimal(meta.seed)
            try sink.append(",\"prompt_tokens\":")
            try sink.appendDecimal(Int64(meta.promptTokens))
            try sink.append(",\"completion_tokens\":")
            try sink.appendDecimal(Int64(meta.completionTokens))
            try sink.append(",\"fidelity\":")
            try FieldEncoding.score(row.fidelity[i], to: sink)
            try sink.append(UInt8(ascii: "}"))
        }
        try sink.append("},\"filled_with_original\":[")
        var first = true
        for (i, filled) in row.filled.enumerated() where filled {
            if !first { try sink.append(UInt8(ascii: ",")) }
            first = false
            try styleNames[i].withUnsafeBufferPointer { try FieldEncoding.json($0, to: sink) }
        }
        try sink.append("],\"duplicate_of\":")
        if row.duplicateOf >= 0 { try sink.appendDecimal(row.duplicateOf) } else { try sink.append("null") }
        try sink.append("}\n")
    }

    private func appendKey(_ i: Int) throws {
        try styleKeys[i].withUnsafeBufferPointer { try sink.append($0) }
    }
}
