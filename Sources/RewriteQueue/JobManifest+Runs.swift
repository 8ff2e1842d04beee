import GRDB

/// One `laclip run` process: the decoding settings it sent, what the server said it sampled
/// with, and how it ended. Kept so that a job can show it was rewritten as the paper says.
public struct RunRecord: Sendable, Equatable {
    public var id: Int64
    public var worker: String
    public var startedAt: Millis
    public var finishedAt: Millis?
    /// JSON: the sampling settings sent with every request.
    public var decoding: String
    /// JSON: the server's echo of the settings it applied (llama.cpp `generation_settings`).
    public var serverSettings: String?
    /// JSON: the run's summary figures.
    public var summary: String?
}

extension JobManifest {
    public func startRun(worker: String, decoding: String, now: Millis = WallClock.now()) throws -> Int64 {
        try write { db in
            try db.execute(
                sql: "INSERT INTO runs(worker, started_at, decoding) VALUES (?, ?, ?)",
                arguments: [worker, now, decoding])
            return db.lastInsertedRowID
        }
    }

    public func recordServerSettings(run: Int64, settings: String) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE runs SET server_settings = ? WHERE id = ? AND server_settings IS NULL",
                arguments: [settings, run])
        }
    }

    public func finishRun(_ run: Int64, summary: String, now: Millis = WallClock.now()) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE runs SET finished_at = ?, summary = ? WHERE id = ?", arguments: [now, summary, run])
        }
    }

    public func runs() throws -> [RunRecord] {
        try db.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT id, worker, started_at, finished_at, decoding, server_settings, summary FROM runs ORDER BY id"
            ).map {
                RunRecord(
                    id: $0[0], worker: $0[1], startedAt: $0[2], finishedAt: $0[3], decoding: $0[4],
                    serverSettings: $0[5], summary: $0[6])
            }
        }
    }
}
