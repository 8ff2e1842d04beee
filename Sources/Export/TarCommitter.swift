import Dispatch
import Foundation
import RewriteQueue
import Synchronization
import Tar

/// Finishes written tars on a second thread: fsync, rename into place, sync the folder. The
/// fsync waits on the disk for most of a tar's write time, so doing it here lets the next tar
/// be copied meanwhile. Tars are committed in the order handed over, each only after its own
/// fsync, so each stays atomic; a failure is kept and thrown by the next `commit` or `wait`.
final class TarCommitter: Sendable {
    private let queue = DispatchQueue(label: "laclip.export.tar-commit")
    private let group = DispatchGroup()
    /// Tars finished but not yet committed hold two descriptors each and dirty pages: a few
    /// are enough to keep the disk busy.
    private let slots = DispatchSemaphore(value: 2)
    private let outcome = Mutex<(firstError: (any Error)?, committed: [URL])>((nil, []))

    /// Takes over `writer` (the caller never touches it again) and commits its file as `target`.
    func commit(_ writer: TarWriter, source: String, temporary: URL, target: URL) throws {
        try throwIfFailed()
        slots.wait()
        let box = Handoff(writer)
        queue.async(group: group) { [self] in
            defer { slots.signal() }
            do {
                guard outcome.withLock({ $0.firstError == nil }) else {
                    unlink(temporary.path)
                    return
                }
                do { try box.writer.finish() } catch let error as TarError {
                    throw ExportError(.fileSystem, "\(source): \(error.description)")
                }
                guard rename(temporary.path, target.path) == 0 else {
                    throw ExportError(
                        .fileSystem, "\(target.path): cannot rename into place: \(String(cString: strerror(errno)))")
                }
                try DurableFiles.sync(target.deletingLastPathComponent())
                outcome.withLock { $0.committed.append(target) }
            } catch {
                unlink(temporary.path)
                outcome.withLock { $0.firstError = $0.firstError ?? error }
            }
        }
    }

    /// Waits for every tar handed over; the targets committed, in order.
    func wait() throws -> [URL] {
        group.wait()
        try throwIfFailed()
        return outcome.withLock { $0.committed }
    }

    private func throwIfFailed() throws {
        if let error = outcome.withLock({ $0.firstError }) { throw error }
    }
}

/// Moves a finished writer to the commit thread; the writing thread has let go of it.
private struct Handoff: @unchecked Sendable {
    let writer: TarWriter
    init(_ writer: TarWriter) { self.writer = writer }
}
