import Foundation
import GRDB

/// The holder of a shard: the one process allowed to write its file.
public struct ShardOwner: Sendable, Equatable {
    public var shardID: Int
    public var owner: String
    public var host: String
    public var pid: Int32
    public var expiresAt: Millis
}

/// Shard ownership leases, kept in the manifest. A process works a shard only while it owns
/// it, so each shard file has a single writer even with several `laclip run` processes on one
/// job (concurrent WAL writers are what trigger SQLite's pre-3.51.3 WAL-reset bug).
extension JobManifest {
    /// Takes `shard` if it is free, expired, already ours, or held by a dead process on this
    /// host. Returns whether `worker` now owns it.
    public func acquire(shard: Int, worker: WorkerIdentity, ttlMillis: Int64, now: Millis = WallClock.now()) throws
        -> Bool
    {
        try write { db in
            if let row = try Row.fetchOne(
                db, sql: "SELECT owner, host, pid, expires_at FROM shard_owners WHERE shard_id = ?",
                arguments: [shard])
            {
                let owner: String = row[0], host: String = row[1], pid: Int32 = row[2], expires: Millis = row[3]
                let held =
                    owner != worker.owner && expires > now
                    && !(host == worker.host && !Self.processIsAlive(pid))
                if held { return false }
            }
            try db.execute(
                sql: """
                    INSERT INTO shard_owners(shard_id, owner, host, pid, expires_at) VALUES (?,?,?,?,?)
                    ON CONFLICT(shard_id) DO UPDATE SET owner = excluded.owner, host = excluded.host,
                        pid = excluded.pid, expires_at = excluded.expires_at
                    """, arguments: [shard, worker.owner, worker.host, worker.pid, now + ttlMillis])
            return true
        }
    }

    /// Extends every shard lease `worker` holds; returns the shards it still owns.
    @discardableResult
    public func renewOwnership(worker: WorkerIdentity, ttlMillis: Int64, now: Millis = WallClock.now()) throws -> Set<
        Int
    > {
        try write { db in
            try db.execute(
                sql: "UPDATE shard_owners SET expires_at = ? WHERE owner = ?",
                arguments: [now + ttlMillis, worker.owner])
            return Set(
                try Int.fetchAll(
                    db, sql: "SELECT shard_id FROM shard_owners WHERE owner = ?", arguments: [worker.owner]))
        }
    }

    public func releaseOwnership(worker: WorkerIdentity, shard: Int? = nil) throws {
        try write { db in
            if let shard {
                try db.execute(
                    sql: "DELETE FROM shard_owners WHERE owner = ? AND shard_id = ?", arguments: [worker.owner, shard])
            } else {
                try db.execute(sql: "DELETE FROM shard_owners WHERE owner = ?", arguments: [worker.owner])
            }
        }
    }

    static func processIsAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
