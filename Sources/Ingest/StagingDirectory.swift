import Foundation
import RewriteQueue

/// A new job is built in a hidden sibling directory and renamed into place at the end, so a
/// crash at any moment leaves either no job or the previous one, never a partial one.
struct StagingDirectory {
    let target: URL
    let staging: URL

    init(for target: URL) {
        self.target = target.standardizedFileURL
        let name = self.target.lastPathComponent
        staging = self.target.deletingLastPathComponent()
            .appendingPathComponent(".\(name).enqueue-\(ProcessInfo.processInfo.processIdentifier)")
    }

    /// Removes what earlier, crashed enqueues of the same target left behind.
    func removeAbandoned() {
        let parent = target.deletingLastPathComponent()
        let prefixes = [".\(target.lastPathComponent).enqueue-", ".\(target.lastPathComponent).replaced-"]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        for entry in entries {
            guard let prefix = prefixes.first(where: { entry.hasPrefix($0) }),
                let pid = Int32(entry.dropFirst(prefix.count)),
                kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(entry))
        }
    }

    func create() throws {
        try? FileManager.default.removeItem(at: staging)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
    }

    /// Puts the staged job in place of `target`, replacing any job there.
    func commit() throws {
        let fm = FileManager.default
        let parent = target.deletingLastPathComponent()
        var replaced: URL?
        if fm.fileExists(atPath: target.path) {
            let aside = parent.appendingPathComponent(
                ".\(target.lastPathComponent).replaced-\(ProcessInfo.processInfo.processIdentifier)")
            try? fm.removeItem(at: aside)
            try fm.moveItem(at: target, to: aside)
            replaced = aside
        }
        try fm.moveItem(at: staging, to: target)
        try DurableFiles.sync(parent)
        if let replaced { try? fm.removeItem(at: replaced) }
    }

    func discard() { try? FileManager.default.removeItem(at: staging) }
}
