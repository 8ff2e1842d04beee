/// A style of rewrite and the snapshot of the meta pairs it was enqueued with: a job keeps its
/// own copy so that editing `MetaPairs/` later cannot change what a stored draw means.
public struct StyleRecord: Sendable, Equatable, Codable {
    public var index: Int
    public var name: String
    public var metaPairsFile: String
    public var metaPairs: String
    public init(index: Int, name: String, metaPairsFile: String, metaPairs: String) {
        self.index = index
        self.name = name
        self.metaPairsFile = metaPairsFile
        self.metaPairs = metaPairs
    }
}

/// One dataset file that went into the job.
public struct SourceRecord: Sendable, Equatable {
    public var id: Int
    public var path: String
    public var checksum: String
    public var bytes: Int64
    /// The reader's decisions (format, header, columns) as JSON.
    public var layout: String
    public var rows: Int
    public var captions: Int
    public var badRows: Int
    public var duplicates: Int
    public var firstCaption: Int64
    public var addedAt: Millis
    public init(
        id: Int, path: String, checksum: String, bytes: Int64, layout: String, rows: Int, captions: Int,
        badRows: Int, duplicates: Int, firstCaption: Int64, addedAt: Millis
    ) {
        self.id = id
        self.path = path
        self.checksum = checksum
        self.bytes = bytes
        self.layout = layout
        self.rows = rows
        self.captions = captions
        self.badRows = badRows
        self.duplicates = duplicates
        self.firstCaption = firstCaption
        self.addedAt = addedAt
    }
}

/// A shard file: captions `firstCaption ..< firstCaption + captions` of the job.
public struct ShardRecord: Sendable, Equatable {
    public var id: Int
    public var file: String
    public var sourceID: Int
    public var firstCaption: Int64
    public var captions: Int
    public var tasks: Int
    public init(id: Int, file: String, sourceID: Int, firstCaption: Int64, captions: Int, tasks: Int) {
        self.id = id
        self.file = file
        self.sourceID = sourceID
        self.firstCaption = firstCaption
        self.captions = captions
        self.tasks = tasks
    }
}

/// A row that enqueue refused and skipped (`--on-bad-row skip`), kept for `laclip info`.
public struct BadRowRecord: Sendable, Equatable {
    public var sourceID: Int
    public var line: Int
    public var row: Int
    public var reason: String
    public var detail: String
    public init(sourceID: Int, line: Int, row: Int, reason: String, detail: String) {
        self.sourceID = sourceID
        self.line = line
        self.row = row
        self.reason = reason
        self.detail = detail
    }
}
