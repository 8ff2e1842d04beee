import CaptionIO

/// What an enqueue did, for the summary printed at the end.
public struct EnqueueReport: Sendable {
    /// One dataset file of the enqueue.
    public struct File: Sendable {
        public var path: String
        public var layout: CaptionLayout
        public var rows: Int
        public var captions: Int
    }

    /// The first file's layout (each file's is in `files`).
    public var layout: CaptionLayout
    public var files: [File] = []
    public var rows = 0
    public var captions = 0
    public var badRows: [BadRow] = []
    /// Captions whose whitespace-normalised text appeared before (in this file or the job).
    public var duplicates = 0
    public var shards = 0
    public var tasks = 0
    public var styles: [String] = []
    public var seconds = 0.0
    public var appended = false

    public var duplicateRatio: Double { captions == 0 ? 0 : Double(duplicates) / Double(captions) }
}
