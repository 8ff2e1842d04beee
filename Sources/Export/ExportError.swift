/// Why an export did not happen, worded for the person at the terminal, with a kind a caller
/// can match. Nothing is left behind when it is thrown: temporary files are removed.
public struct ExportError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Rewrites are not all done (`--missing fail`), or unscored under `--min-fidelity`.
        case notReady
        /// The output exists (no `--force`) or is the wrong kind of file.
        case outputExists
        /// The job cannot be written in this format (not from tars, names that would clash).
        case unsupported
        /// A shard or source file is not what the job says it is.
        case damaged
        /// Creating, writing, syncing or renaming a file failed.
        case fileSystem
        /// Ctrl-C.
        case interrupted
    }

    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }
}
