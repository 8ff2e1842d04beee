import Foundation
import RewriteQueue

/// The files of one export, written under temporary names beside their targets and renamed
/// into place only once everything is written and synced: an interrupted or failed export
/// leaves no partial file under a real name.
final class AtomicOutputs {
    private(set) var targets: [URL] = []
    private var sinks: [ByteSink] = []
    /// Temporary paths handed to writers that open their files themselves (Parquet).
    private var reserved: [(temporary: URL, target: URL)] = []
    private var committed = false
    private let force: Bool

    init(force: Bool) { self.force = force }

    /// Refuses every target that exists (unless forced) before any file is created.
    static func check(_ targets: [URL], force: Bool) throws {
        let fm = FileManager.default
        for target in targets {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: target.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                throw ExportError(.outputExists, "\(target.path) is a directory; give --out a file path")
            }
            if !force { throw ExportError(.outputExists, "\(target.path) already exists; pass --force to replace it") }
        }
    }

    func create(_ target: URL) throws -> ByteSink {
        let sink = try ByteSink(creating: try Self.temporaryName(for: target))
        targets.append(target)
        sinks.append(sink)
        return sink
    }

    /// A temporary path beside `target` for a writer that creates the file itself; synced and
    /// renamed with the rest at `commit()`.
    func reserve(_ target: URL) throws -> String {
        let temporary = try Self.temporaryName(for: target)
        reserved.append((temporary, target))
        return temporary.path
    }

    /// `.NAME.tmp-PID-RANDOM` beside `target`, its folder created.
    static func temporaryName(for target: URL) throws -> URL {
        let directory = target.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(
            ".\(target.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    }

    /// Syncs every file, then renames them all into place and syncs their directories.
    func commit() throws {
        for sink in sinks { try sink.sync() }
        for file in reserved { try DurableFiles.sync(file.temporary) }
        let moves = zip(sinks, targets).map { ($0.url, $1) } + reserved.map { ($0.temporary, $0.target) }
        try Self.check(moves.map(\.1), force: force)
        for (temporary, target) in moves {
            guard rename(temporary.path, target.path) == 0 else {
                throw ExportError(
                    .fileSystem, "\(target.path): cannot rename into place: \(String(cString: strerror(errno)))")
            }
        }
        committed = true
        for directory in Set(moves.map { $0.1.deletingLastPathComponent() }) { try DurableFiles.sync(directory) }
        targets = moves.map(\.1)
    }

    /// Removes the temporary files of an export that did not commit.
    func discard() {
        guard !committed else { return }
        for sink in sinks { unlink(sink.url.path) }
        for file in reserved { unlink(file.temporary.path) }
    }

    deinit { discard() }
}
