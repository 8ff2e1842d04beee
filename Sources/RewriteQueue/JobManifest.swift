import Foundation
import GRDB

/// Read and write access to `job.sqlite`.
public final class JobManifest: Sendable {
    public let layout: JobLayout
    let db: DatabaseQueue

    /// Opens an existing job's manifest.
    public init(layout: JobLayout, readonly: Bool = false) throws {
        guard layout.exists else {
            throw QueueError(
                .noJob, "\(layout.directory.path): no job here (no job.sqlite); create one with `laclip enqueue`")
        }
        self.layout = layout
        db = try DatabaseQueue(
            path: layout.manifest.path, configuration: ManifestSchema.configuration(readonly: readonly))
        if !readonly { try ManifestSchema.migrator.migrate(db) }
    }

    /// Creates the manifest of a new job.
    init(creating layout: JobLayout) throws {
        self.layout = layout
        db = try DatabaseQueue(path: layout.manifest.path, configuration: ManifestSchema.configuration())
        try ManifestSchema.migrator.migrate(db)
    }

    /// The job's configuration, styles and template: the one place job.sqlite's settings are read.
    public func definition() throws -> JobDefinition {
        let (rows, styles, template) = try db.read { db in
            var rows: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM config") { rows[row[0]] = row[1] }
            let styles = try Row.fetchAll(
                db, sql: "SELECT idx, name, meta_pairs_file, meta_pairs FROM styles ORDER BY idx"
            ).map {
                StyleRecord(index: $0[0], name: $0[1], metaPairsFile: $0[2], metaPairs: $0[3])
            }
            let template = try Row.fetchOne(db, sql: "SELECT file, text FROM template").map {
                TemplateRecord(file: $0[0], text: $0[1])
            }
            return (rows, styles, template)
        }
        let file = layout.manifest.path
        guard let template else { throw QueueError(.corrupt, "\(file) has no prompt template") }
        return try JobDefinition(
            configuration: JobConfiguration(rows: rows, file: file), styles: styles, template: template)
    }

    public func sources() throws -> [SourceRecord] {
        try db.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, path, checksum, bytes, layout, rows, captions, bad_rows, duplicates, first_caption, added_at
                    FROM sources ORDER BY id
                    """
            ).map {
                SourceRecord(
                    id: $0[0], path: $0[1], checksum: $0[2], bytes: $0[3], layout: $0[4], rows: $0[5],
                    captions: $0[6], badRows: $0[7], duplicates: $0[8], firstCaption: $0[9], addedAt: $0[10])
            }
        }
    }

    public func shards() throws -> [ShardRecord] {
        try db.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, file, source_id, first_caption, captions, tasks FROM shards ORDER BY id"
            ).map {
                ShardRecord(id: $0[0], file: $0[1], sourceID: $0[2], firstCaption: $0[3], captions: $0[4], tasks: $0[5])
            }
        }
    }

    public func badRows(limit: Int = .max) throws -> [BadRowRecord] {
        try db.read { db in
            try Row.fetchAll(
                db, sql: "SELECT source_id, line, row, reason, detail FROM bad_rows ORDER BY source_id, line LIMIT ?",
                arguments: [limit]
            ).map {
                BadRowRecord(sourceID: $0[0], line: $0[1], row: $0[2], reason: $0[3], detail: $0[4])
            }
        }
    }

    public func shardOwners() throws -> [ShardOwner] {
        try db.read { db in
            try Row.fetchAll(
                db, sql: "SELECT shard_id, owner, host, pid, expires_at FROM shard_owners ORDER BY shard_id"
            ).map {
                ShardOwner(shardID: $0[0], owner: $0[1], host: $0[2], pid: $0[3], expiresAt: $0[4])
            }
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T { try db.write(body) }
}
