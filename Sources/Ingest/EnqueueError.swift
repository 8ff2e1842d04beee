/// Why an enqueue refused to go on, with a kind a caller can match. The job directory is left
/// as it was.
public struct EnqueueError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// No files, a missing file, a listed-twice file, an empty folder, a bad brace range.
        case sources
        /// The file cannot be opened for reading.
        case unreadable
        /// The folder holds a job (no `--append`/`--force`) or is something else.
        case jobExists
        /// A file already in the job, or two files with the same contents.
        case duplicateFile
        /// A bad row under `--on-bad-row fail`.
        case badRow
        /// Nothing to enqueue, or the file changed between the two passes.
        case noCaptions, changedWhileReading
        /// The styles asked for do not fit the meta pairs or the template.
        case styles
    }

    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }
}
