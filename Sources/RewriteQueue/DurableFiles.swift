import Foundation

/// fsync for files and directories: a rename or a new file is only crash-proof once both the
/// file and the directory entry naming it have reached the disk.
public enum DurableFiles {
    public static func sync(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else {
            throw QueueError(.fileSystem, "\(url.path): cannot open to sync: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        guard fsync(fd) == 0 else {
            throw QueueError(.fileSystem, "\(url.path): fsync failed: \(String(cString: strerror(errno)))")
        }
    }
}
