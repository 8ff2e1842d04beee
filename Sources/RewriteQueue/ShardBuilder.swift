import CSQLiteConfig
import Foundation
import GRDB
import GRDBSQLite

/// Writes a new shard file in one pass at enqueue time. It goes straight to the SQLite C API
/// with prepared statements and no journal: the file is not part of the job until the
/// manifest registers it, so a crash mid-build leaves only an ignored, unregistered file.
public final class ShardBuilder {
    public let url: URL
    private var connection: OpaquePointer?
    private var insertCaption: OpaquePointer?
    private var insertTask: OpaquePointer?
    private var counts: [Int: Int] = [:]
    private var pendingTasks: [(style: Int, draw: Int64, caption: Int64)] = []
    public private(set) var captionCount = 0
    public private(set) var taskCount = 0

    /// Call before the process's first SQLite use when shard files will be built on several
    /// threads at once (enqueue does).
    public static func prepareForParallelBuilds() {
        _ = laclip_sqlite_disable_memstatus()
    }

    public init(url: URL) throws {
        self.url = url
        try? FileManager.default.removeItem(at: url)
        let schema = try DatabaseQueue(path: url.path)
        try ShardSchema.migrator.migrate(schema)
        try schema.close()
        guard sqlite3_open_v2(url.path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK
        else {
            throw QueueError(.database, "\(url.path): cannot open: \(Self.message(connection))")
        }
        try exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -2048; BEGIN")
        insertCaption = try prepare(
            "INSERT INTO captions(id, source_id, row, line, image, text, canonical_id, key) VALUES (?,?,?,?,?,?,?,?)")
        insertTask = try prepare("INSERT INTO tasks(id, caption_id, style, draw) VALUES (?,?,?,?)")
    }

    deinit {
        sqlite3_finalize(insertCaption)
        sqlite3_finalize(insertTask)
        sqlite3_close_v2(connection)
    }

    public func addCaption(
        id: Int64, sourceID: Int, row: Int, line: Int, image: String?, key: String? = nil, text: String,
        canonicalID: Int64?
    ) throws {
        let s = statement(insertCaption)
        s.bind(1, id)
        s.bind(2, sourceID)
        s.bind(3, row)
        s.bind(4, line)
        s.bind(5, image)
        s.bind(6, text)
        s.bind(7, canonicalID)
        s.bind(8, key)
        try step(s)
        captionCount += 1
    }

    /// Queues a task; tasks are written at `finish()`, in claim order.
    public func addTask(_ id: TaskID, draw: Int64) throws {
        pendingTasks.append((id.style, draw, id.caption))
        counts[id.style, default: 0] += 1
        taskCount += 1
    }

    /// Writes the tasks in claim order, builds the indexes, commits, switches the file to WAL
    /// and flushes it to disk.
    public func finish() throws {
        pendingTasks.sort { ($0.style, $0.draw, $0.caption) < ($1.style, $1.draw, $1.caption) }
        for (row, task) in pendingTasks.enumerated() {
            let s = statement(insertTask)
            s.bind(1, row)
            s.bind(2, task.caption)
            s.bind(3, task.style)
            s.bind(4, task.draw)
            try step(s)
        }
        pendingTasks = []
        for (style, n) in counts {
            try exec("INSERT INTO counts(style, state, n) VALUES (\(style), \(TaskState.pending.rawValue), \(n))")
        }
        try exec(ShardSchema.indexes)
        try exec("COMMIT")
        try exec("PRAGMA journal_mode = WAL")
        sqlite3_finalize(insertCaption)
        sqlite3_finalize(insertTask)
        insertCaption = nil
        insertTask = nil
        sqlite3_close_v2(connection)
        connection = nil
        try DurableFiles.sync(url)
    }

    private func exec(_ sql: String) throws {
        guard sqlite3_exec(connection, sql, nil, nil, nil) == SQLITE_OK else {
            throw QueueError(.database, "\(url.path): \(Self.message(connection))")
        }
    }

    private func prepare(_ sql: String) throws -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK else {
            throw QueueError(.database, "\(url.path): \(Self.message(connection))")
        }
        return statement
    }

    /// The open statement through the queue's one set of bind and step helpers.
    private func statement(_ handle: OpaquePointer?) -> RawStatement {
        RawStatement(handle: handle!, connection: connection!)
    }

    private func step(_ statement: RawStatement) throws {
        do { try statement.run() } catch let error as QueueError {
            throw QueueError(.database, "\(url.path): \(error.message)")
        }
    }

    private static func message(_ connection: OpaquePointer?) -> String {
        connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "unknown SQLite error"
    }
}
