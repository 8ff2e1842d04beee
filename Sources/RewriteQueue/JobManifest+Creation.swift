import Foundation
import GRDB

extension JobManifest {
    /// Creates the manifest of a new job from its definition.
    public static func create(layout: JobLayout, definition: JobDefinition) throws -> JobManifest {
        precondition(definition.styles.count <= TaskID.maxStyles)
        let manifest = try JobManifest(creating: layout)
        try manifest.write { db in
            for (key, value) in definition.configuration.rows {
                try db.execute(sql: "INSERT INTO config(key, value) VALUES (?, ?)", arguments: [key, value])
            }
            for style in definition.styles {
                try db.execute(
                    sql: "INSERT INTO styles(idx, name, meta_pairs_file, meta_pairs) VALUES (?,?,?,?)",
                    arguments: [style.index, style.name, style.metaPairsFile, style.metaPairs])
            }
            try db.execute(
                sql: "INSERT INTO template(id, file, text) VALUES (0, ?, ?)",
                arguments: [definition.template.file, definition.template.text])
        }
        return manifest
    }

    /// The first caption id and shard id free for the next source.
    public func nextIDs() throws -> (caption: Int64, shard: Int, source: Int) {
        try db.read { db in
            let caption =
                try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(first_caption + captions), 0) FROM shards") ?? 0
            let shard = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(id) + 1, 0) FROM shards") ?? 0
            let source = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(id) + 1, 0) FROM sources") ?? 0
            return (caption, shard, source)
        }
    }

    public func source(checksum: String) throws -> SourceRecord? {
        try sources().first { $0.checksum == checksum }
    }

    /// One dataset file's part of an enqueue: its record, shard files and skipped rows.
    public struct SourceRegistration: Sendable {
        public var source: SourceRecord
        public var shards: [ShardRecord]
        public var badRows: [BadRowRecord]

        public init(source: SourceRecord, shards: [ShardRecord], badRows: [BadRowRecord]) {
            self.source = source
            self.shards = shards
            self.badRows = badRows
        }
    }

    /// Makes a source part of the job: its shard files (already built and synced) and its
    /// skipped rows, in one transaction. This is the commit point of an enqueue.
    public func register(source: SourceRecord, shards: [ShardRecord], badRows: [BadRowRecord]) throws {
        try register([SourceRegistration(source: source, shards: shards, badRows: badRows)])
    }

    /// Every file of one enqueue in one transaction: an append of 32 part files is all or nothing.
    public func register(_ registrations: [SourceRegistration]) throws {
        try write { db in
            for registration in registrations {
                let source = registration.source
                try db.execute(
                    sql: """
                        INSERT INTO sources(id, path, checksum, bytes, layout, rows, captions, bad_rows, duplicates,
                            first_caption, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)
                        """,
                    arguments: [
                        source.id, source.path, source.checksum, source.bytes, source.layout, source.rows,
                        source.captions, source.badRows, source.duplicates, source.firstCaption, source.addedAt,
                    ])
                for shard in registration.shards {
                    try db.execute(
                        sql:
                            "INSERT INTO shards(id, file, source_id, first_caption, captions, tasks) VALUES (?,?,?,?,?,?)",
                        arguments: [
                            shard.id, shard.file, shard.sourceID, shard.firstCaption, shard.captions, shard.tasks,
                        ])
                }
                let insertBad = try db.cachedStatement(
                    sql: "INSERT INTO bad_rows(source_id, line, row, reason, detail) VALUES (?,?,?,?,?)")
                for bad in registration.badRows {
                    try insertBad.execute(arguments: [bad.sourceID, bad.line, bad.row, bad.reason, bad.detail])
                }
            }
        }
    }
}
