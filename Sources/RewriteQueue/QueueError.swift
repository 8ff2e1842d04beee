/// A problem with a job directory or its files, worded for the person at the terminal, with a
/// kind a caller can match (e.g. `laclip info` on a folder that is not a job).
public struct QueueError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The folder holds no job.sqlite.
        case noJob
        /// A style name the job does not have.
        case unknownStyle
        /// The job was written by a newer laclip.
        case newerFormat
        /// A stored row this version cannot read, or counts that disagree.
        case corrupt
        /// SQLite refused a statement (busy past its timeout, disk full, ...).
        case database
        /// Opening or syncing a file or folder failed.
        case fileSystem
        /// Another process took over a shard this one was working.
        case ownershipLost
    }

    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }
}
