import GRDB

/// The job manifest (`job.sqlite`): what the job is made of. Written rarely (enqueue, shard
/// ownership), by several processes, so it uses a rollback journal rather than WAL: SQLite
/// before 3.51.3 can corrupt a WAL file when two connections write or checkpoint at once.
enum ManifestSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE config(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE TABLE styles(
                        idx INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        meta_pairs_file TEXT NOT NULL,
                        meta_pairs TEXT NOT NULL);
                    CREATE TABLE template(
                        id INTEGER PRIMARY KEY CHECK (id = 0),
                        file TEXT NOT NULL,
                        text TEXT NOT NULL);
                    CREATE TABLE sources(
                        id INTEGER PRIMARY KEY,
                        path TEXT NOT NULL,
                        checksum TEXT NOT NULL UNIQUE,
                        bytes INTEGER NOT NULL,
                        layout TEXT NOT NULL,
                        rows INTEGER NOT NULL,
                        captions INTEGER NOT NULL,
                        bad_rows INTEGER NOT NULL,
                        duplicates INTEGER NOT NULL,
                        first_caption INTEGER NOT NULL,
                        added_at INTEGER NOT NULL);
                    CREATE TABLE shards(
                        id INTEGER PRIMARY KEY,
                        file TEXT NOT NULL UNIQUE,
                        source_id INTEGER NOT NULL REFERENCES sources(id),
                        first_caption INTEGER NOT NULL,
                        captions INTEGER NOT NULL,
                        tasks INTEGER NOT NULL);
                    CREATE TABLE bad_rows(
                        source_id INTEGER NOT NULL REFERENCES sources(id),
                        line INTEGER NOT NULL,
                        row INTEGER NOT NULL,
                        reason TEXT NOT NULL,
                        detail TEXT NOT NULL);
                    CREATE TABLE shard_owners(
                        shard_id INTEGER PRIMARY KEY,
                        owner TEXT NOT NULL,
                        host TEXT NOT NULL,
                        pid INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL);
                    """)
        }
        migrator.registerMigration("v2-runs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE runs(
                        id INTEGER PRIMARY KEY,
                        worker TEXT NOT NULL,
                        started_at INTEGER NOT NULL,
                        finished_at INTEGER,
                        decoding TEXT NOT NULL,
                        server_settings TEXT,
                        summary TEXT);
                    """)
        }
        return migrator
    }

    static func configuration(readonly: Bool = false) -> Configuration {
        var config = Configuration()
        config.readonly = readonly
        config.busyMode = .timeout(30)
        config.label = "job-manifest"
        config.prepareDatabase { db in
            if !readonly {
                try db.execute(sql: "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL")
            }
        }
        return config
    }
}
