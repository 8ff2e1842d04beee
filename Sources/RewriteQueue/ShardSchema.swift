import GRDB

/// A shard file: a contiguous range of captions, their tasks, results and failure log.
///
/// Task rows are stored in claim order, (style, demonstration draw, caption), so that a
/// claimed batch is a run of neighbouring rows: claiming and completing touch a few pages
/// instead of one page per task, and no index is needed to find the next pending task.
/// One process writes a shard at a time (see `ShardOwnership`), so WAL is safe here and gives
/// readers (`laclip status`) a view that never blocks the writer.
enum ShardSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE captions(
                        id INTEGER PRIMARY KEY,
                        source_id INTEGER NOT NULL,
                        row INTEGER NOT NULL,
                        line INTEGER NOT NULL,
                        image TEXT,
                        text TEXT NOT NULL,
                        canonical_id INTEGER);
                    CREATE TABLE tasks(
                        id INTEGER PRIMARY KEY,
                        caption_id INTEGER NOT NULL,
                        style INTEGER NOT NULL,
                        draw INTEGER NOT NULL,
                        state INTEGER NOT NULL DEFAULT 0,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        failures INTEGER NOT NULL DEFAULT 0,
                        lease_owner TEXT,
                        lease_token INTEGER,
                        lease_expires INTEGER,
                        last_reason TEXT,
                        updated_at INTEGER);
                    CREATE TABLE results(
                        task_id INTEGER PRIMARY KEY,
                        text TEXT NOT NULL,
                        model TEXT NOT NULL,
                        seed INTEGER NOT NULL,
                        prompt_tokens INTEGER NOT NULL,
                        completion_tokens INTEGER NOT NULL,
                        latency_ms REAL NOT NULL,
                        finish_reason TEXT NOT NULL,
                        attempt INTEGER NOT NULL,
                        worker TEXT NOT NULL,
                        completed_at INTEGER NOT NULL);
                    CREATE TABLE failures(
                        id INTEGER PRIMARY KEY,
                        task_id INTEGER NOT NULL,
                        attempt INTEGER NOT NULL,
                        reason TEXT NOT NULL,
                        detail TEXT NOT NULL,
                        permanent INTEGER NOT NULL,
                        worker TEXT NOT NULL,
                        at INTEGER NOT NULL);
                    CREATE TABLE counts(
                        style INTEGER NOT NULL,
                        state INTEGER NOT NULL,
                        n INTEGER NOT NULL,
                        PRIMARY KEY(style, state)) WITHOUT ROWID;
                    """)
        }
        // The source's own id of a caption (Parquet `--id-column`, WebDataset sample key).
        // Shards made before it have no such column: readers check `hasKeyColumn`.
        migrator.registerMigration("v2-keys") { db in
            try db.execute(sql: "ALTER TABLE captions ADD COLUMN key TEXT")
        }
        // Fidelity scores and re-sample counts of results, with counters kept in the same
        // transaction as the result (status reads them, never the results). Results stored
        // before it have no score until `laclip score`; readers check `hasFidelity`.
        migrator.registerMigration("v3-fidelity") { db in
            try db.execute(
                sql: """
                    ALTER TABLE results ADD COLUMN fidelity REAL;
                    ALTER TABLE results ADD COLUMN scorer TEXT;
                    ALTER TABLE results ADD COLUMN min_fidelity REAL;
                    ALTER TABLE results ADD COLUMN resamples INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE results ADD COLUMN content_resamples INTEGER NOT NULL DEFAULT 0;
                    CREATE TABLE fidelity_counts(
                        style INTEGER NOT NULL,
                        bucket INTEGER NOT NULL,
                        n INTEGER NOT NULL,
                        below INTEGER NOT NULL,
                        PRIMARY KEY(style, bucket)) WITHOUT ROWID;
                    CREATE TABLE resample_counts(
                        style INTEGER PRIMARY KEY,
                        resampled_tasks INTEGER NOT NULL,
                        resamples INTEGER NOT NULL,
                        content_resamples INTEGER NOT NULL);
                    """)
        }
        return migrator
    }

    static let indexes = """
        CREATE INDEX IF NOT EXISTS failures_by_task ON failures(task_id);
        """

    static func configuration(readonly: Bool = false) -> Configuration {
        var config = Configuration()
        config.readonly = readonly
        config.busyMode = .timeout(30)
        config.label = "shard"
        config.prepareDatabase { db in
            if !readonly {
                try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
            }
        }
        return config
    }
}
