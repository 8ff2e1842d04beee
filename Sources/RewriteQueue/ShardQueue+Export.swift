import GRDB
import GRDBSQLite

/// A stored result seen through `ShardQueue.forEachResult`: the byte buffers point into
/// SQLite's row and are valid only during the callback (no String is built per row: export
/// reads millions of them).
public struct ResultRowView {
    public var caption: Int64
    public var style: Int
    public var text: UnsafeBufferPointer<UInt8>
    /// Empty unless metadata was asked for.
    public var model: UnsafeBufferPointer<UInt8>
    public var seed: Int64
    public var promptTokens: Int
    public var completionTokens: Int
    /// nil where unscored (results stored before scores existed, until `laclip score`).
    public var fidelity: Double?
}

/// A caption seen through `ShardQueue.forEachCaptionBytes`; buffers valid during the callback.
public struct CaptionRowView {
    public var id: Int64
    public var sourceID: Int
    public var row: Int
    public var line: Int
    public var image: UnsafeBufferPointer<UInt8>?
    public var text: UnsafeBufferPointer<UInt8>
    public var canonicalID: Int64?
    /// The source's own id (`--id-column`, WebDataset key); nil in shards made before keys existed.
    public var key: UnsafeBufferPointer<UInt8>?
}

/// Bulk reads for `laclip export`. They run on read-only connections and only ever read, so a
/// worker writing the same shard in WAL mode is never blocked by them.
extension ShardQueue {
    /// Visits captions in id (source) order.
    public func forEachCaptionBytes(_ body: (CaptionRowView) throws -> Void) throws {
        try db.read { db in
            let keyColumn = try Self.hasKeyColumn(db) ? "key" : "NULL"
            let select = try RawStatement(
                db, "SELECT id, source_id, row, line, image, text, canonical_id, \(keyColumn) FROM captions ORDER BY id"
            )
            defer { select.reset() }
            while try select.step() {
                try body(
                    CaptionRowView(
                        id: select.int64(0), sourceID: Int(select.int64(1)), row: Int(select.int64(2)),
                        line: Int(select.int64(3)),
                        image: select.isNull(4) ? nil : select.bytes(4), text: select.bytes(5),
                        canonicalID: select.isNull(6) ? nil : select.int64(6),
                        key: select.isNull(7) ? nil : select.bytes(7)))
            }
        }
    }

    /// Visits every stored result in task-row (claim) order, which is not caption order: the
    /// caller places them by `caption` and `style`. `metadata` adds model, seed and tokens.
    public func forEachResult(metadata: Bool, _ body: (ResultRowView) throws -> Void) throws {
        let columns = metadata ? "r.model, r.seed, r.prompt_tokens, r.completion_tokens" : "'', 0, 0, 0"
        try db.read { db in
            let fidelity = try Self.hasFidelity(db) ? "r.fidelity" : "NULL"
            // Results drive the scan: tasks are found by rowid, and a partly done shard only
            // reads what exists.
            let select = try RawStatement(
                db,
                """
                SELECT t.caption_id, t.style, r.text, \(columns), \(fidelity) FROM results r JOIN tasks t ON t.id = r.task_id
                """)
            defer { select.reset() }
            while try select.step() {
                try body(
                    ResultRowView(
                        caption: select.int64(0), style: Int(select.int64(1)), text: select.bytes(2),
                        model: select.bytes(3),
                        seed: select.int64(4), promptTokens: Int(select.int64(5)),
                        completionTokens: Int(select.int64(6)),
                        fidelity: select.isNull(7) ? nil : select.double(7)))
            }
        }
    }

    /// Shards made before the `v2-keys` migration have no key column.
    static func hasKeyColumn(_ db: Database) throws -> Bool {
        try db.columns(in: "captions").contains { $0.name == "key" }
    }

    /// Duplicates in this shard whose canonical caption lies before `caption` (in an earlier
    /// shard): export must carry those captions' rewrites forward.
    public func canonicalReferences(before caption: Int64) throws -> [(id: Int64, canonical: Int64)] {
        try db.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, canonical_id FROM captions WHERE canonical_id < ? ORDER BY id",
                arguments: [caption]
            ).map { ($0[0], $0[1]) }
        }
    }
}

extension RawStatement {
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// The column's UTF-8 bytes, valid until the next step or reset.
    func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        // Text first, then its length: SQLite documents that order.
        guard let start = sqlite3_column_text(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: start, count: Int(sqlite3_column_bytes(handle, column)))
    }
}
