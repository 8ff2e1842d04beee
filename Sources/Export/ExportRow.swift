/// One row as the writers see it. Buffers point into a shard's arena and are valid only while
/// the row is being written; the arrays are reused from row to row.
struct ExportRow {
    /// 0-based row of the written files.
    var index = 0
    var captionID: Int64 = 0
    var sourceID: Int32 = 0
    var sourceRow: Int64 = 0
    var sourceLine: Int64 = 0
    /// The canonical caption whose rewrites this dedup'd duplicate carries, or -1.
    var duplicateOf: Int64 = -1
    var image: UnsafeBufferPointer<UInt8>?
    /// The source's own id (`--id-column`, WebDataset key), if it had one.
    var key: UnsafeBufferPointer<UInt8>?
    var caption = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// One per exported style, in export order; the original where `filled`.
    var rewrites: [UnsafeBufferPointer<UInt8>]
    var filled: [Bool]
    /// Present only for JSONL; `model` is empty where filled.
    var metas: [ResolvedMeta]
    /// The written rewrite's fidelity score; NaN where filled or unscored.
    var fidelity: [Float]

    init(styles: Int) {
        rewrites = Array(repeating: UnsafeBufferPointer(start: nil, count: 0), count: styles)
        filled = Array(repeating: false, count: styles)
        metas = Array(repeating: ResolvedMeta(), count: styles)
        fidelity = Array(repeating: .nan, count: styles)
    }
}

struct ResolvedMeta {
    var model = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    var seed: Int64 = 0
    var promptTokens: Int32 = 0
    var completionTokens: Int32 = 0
}

/// Writes rows in one export format.
protocol ExportWriter: AnyObject {
    var needsMetadata: Bool { get }
    func write(_ row: ExportRow) throws
    /// A row left out (`--missing skip`): formats that copy their source must drop it too.
    func skip(_ row: ExportRow) throws
    /// Called once after the last row, before the outputs are committed.
    func finish(report: inout ExportReport) throws
}

extension ExportWriter {
    func skip(_ row: ExportRow) throws {}
    func finish(report: inout ExportReport) throws {}
}
