import RewriteQueue

/// Bytes in an arena: `length < 0` means absent.
struct TextRef: Sendable {
    var offset: Int
    var length: Int32
    static let absent = TextRef(offset: 0, length: -1)
    var isAbsent: Bool { length < 0 }

    @inline(__always)
    func bytes(in arena: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: arena[offset..<offset + Int(length)])
    }
}

/// What produced a rewrite (JSONL only). `model` points into the same arena as the text.
struct RewriteMeta: Sendable {
    var model = TextRef.absent
    var seed: Int64 = 0
    var promptTokens: Int32 = 0
    var completionTokens: Int32 = 0
}

/// One shard's captions and rewrites, loaded into flat arrays so that rows can be written in
/// caption order without asking SQLite to sort. Memory is one shard's text, whatever the
/// size of the job.
struct ShardAssembly: Sendable {
    let shard: ShardRecord
    let styleCount: Int
    var arena: [UInt8] = []
    var captions: [TextRef] = []
    var images: [TextRef] = []
    /// The source's own id of each caption (absent where it had none).
    var keys: [TextRef] = []
    var canonical: [Int64] = []
    var sourceIDs: [Int32] = []
    var sourceRows: [Int64] = []
    var sourceLines: [Int64] = []
    /// captions × styles, row-major.
    var rewrites: [TextRef] = []
    /// Same shape as `rewrites`; empty unless metadata was loaded.
    var metas: [RewriteMeta] = []
    /// Same shape as `rewrites`: each rewrite's fidelity score, NaN where absent or unscored.
    var fidelity: [Float] = []

    /// Reads the shard. `column[styleIndex]` is the style's position in the export (-1: not
    /// exported).
    init(job: Job, shard: ShardRecord, column: [Int], styleCount: Int, metadata: Bool) throws {
        self.shard = shard
        self.styleCount = styleCount
        let n = shard.captions
        let queue = try job.openShard(shard, readonly: true)
        captions.reserveCapacity(n)
        images.reserveCapacity(n)
        keys.reserveCapacity(n)
        canonical.reserveCapacity(n)
        sourceIDs.reserveCapacity(n)
        sourceRows.reserveCapacity(n)
        sourceLines.reserveCapacity(n)
        arena.reserveCapacity(n * 64 * (1 + styleCount))
        var expected = shard.firstCaption
        try queue.forEachCaptionBytes { row in
            guard row.id == expected else {
                throw ExportError(
                    .damaged,
                    "\(shard.file): caption ids are not contiguous (expected \(expected), found \(row.id)); the shard is damaged"
                )
            }
            expected += 1
            captions.append(store(row.text))
            if let image = row.image { images.append(store(image)) } else { images.append(.absent) }
            if let key = row.key { keys.append(store(key)) } else { keys.append(.absent) }
            canonical.append(row.canonicalID ?? -1)
            sourceIDs.append(Int32(row.sourceID))
            sourceRows.append(Int64(row.row))
            sourceLines.append(Int64(row.line))
        }
        guard captions.count == n else {
            throw ExportError(
                .damaged, "\(shard.file): \(captions.count) captions, the manifest says \(n); the shard is damaged")
        }
        rewrites = Array(repeating: .absent, count: n * styleCount)
        fidelity = Array(repeating: .nan, count: n * styleCount)
        if metadata { metas = Array(repeating: RewriteMeta(), count: n * styleCount) }
        var lastModel = TextRef.absent
        let first = shard.firstCaption
        try queue.forEachResult(metadata: metadata) { result in
            let index = result.caption - first
            let style = result.style >= 0 && result.style < column.count ? column[result.style] : -1
            guard index >= 0, index < n, style >= 0 else {
                throw ExportError(
                    .damaged,
                    "\(shard.file): a result for caption \(result.caption), style \(result.style) lies outside the shard"
                )
            }
            let slot = Int(index) * styleCount + style
            rewrites[slot] = store(result.text)
            if let score = result.fidelity { fidelity[slot] = Float(score) }
            if metadata {
                // Models repeat: keep one copy of each run of equal names.
                if lastModel.isAbsent
                    || !arena.withUnsafeBufferPointer({ lastModel.bytes(in: $0).elementsEqual(result.model) })
                {
                    lastModel = store(result.model)
                }
                metas[slot] = RewriteMeta(
                    model: lastModel, seed: result.seed, promptTokens: Int32(clamping: result.promptTokens),
                    completionTokens: Int32(clamping: result.completionTokens))
            }
        }
    }

    private mutating func store(_ bytes: UnsafeBufferPointer<UInt8>) -> TextRef {
        let ref = TextRef(offset: arena.count, length: Int32(bytes.count))
        arena.append(contentsOf: bytes)
        return ref
    }
}
