import Foundation
import RewriteQueue

/// The files of one export, written under temporary names beside their targets and renamed
/// into place only once everything is written and synced: an interrupted or failed export
/// leaves no partial file under a real name.
final class AtomicOutputs {
    private(set) var targets: [URL] = []
    private var sinks: [ByteSink] = []
    private var committed = false
    private let force: Bool

    init(force: Bool) { self.force = force }

    /// Refuses every target that exists (unless forced) before any file is created.
    static func check(_ targets: [URL], force: Bool) throws {
        let fm = FileManager.default
        for target in targets {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: target.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue { throw ExportError("\(target.path) is a directory; give --out a file path") }
            if !force { throw ExportError("\(target.path) already exists; pass --force to replace it") }
        }
    }

    func create(_ target: URL) throws -> ByteSink {
        let directory = target.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(target.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let sink = try ByteSink(creating: temporary)
        targets.append(target)
        sinks.append(sink)
        return sink
    }

    /// Syncs every file, then renames them all into place and syncs their directories.
    func commit() throws {
        for sink in sinks { try sink.sync() }
        try Self.check(targets, force: force)
        for (sink, target) in zip(sinks, targets) {
            guard rename(sink.url.path, target.path) == 0 else {
                throw ExportError("\(target.path): cannot rename into place: \(String(cString: strerror(errno)))")
            }
        }
        committed = true
        for directory in Set(targets.map { $0.deletingLastPathComponent() }) { try DurableFiles.sync(directory) }
    }

    /// Removes the temporary files of an export that did not commit.
    func discard() {
        guard !committed else { return }
        for sink in sinks { unlink(sink.url.path) }
    }

    deinit { discard() }
}
