import Foundation

/// Where the files of a job directory live. The manifest is the truth about which shard files
/// belong to the job; any other file in the directory is ignored.
public struct JobLayout: Sendable, Equatable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory.standardizedFileURL }

    public var manifest: URL { directory.appendingPathComponent("job.sqlite") }

    public func shard(named file: String) -> URL { directory.appendingPathComponent(file) }

    public static func shardFileName(_ id: Int) -> String { String(format: "shard-%04d.sqlite", id) }

    public var exists: Bool { FileManager.default.fileExists(atPath: manifest.path) }
}
