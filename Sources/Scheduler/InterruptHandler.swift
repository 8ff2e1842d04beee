import Foundation
import Monitor

/// First Ctrl-C (or SIGTERM, which Slurm sends before a time limit or on scancel): stop
/// claiming and drain. A second one: exit at once (leases expire, or the next owner of the
/// shard takes them back).
public struct InterruptHandler: Sendable {
    private let watcher: Task<Void, Never>

    public init(stop: StopSignal) {
        // Made before the task starts, so a Ctrl-C from now on is caught.
        let signals = SignalStream([SIGINT, SIGTERM])
        watcher = Task {
            var count = 0
            for await _ in signals {
                count += 1
                if count == 1 {
                    FileHandle.standardError.write(
                        Data("\nstopping: finishing in-flight requests (Ctrl-C again to quit at once)\n".utf8))
                    stop.request()
                } else {
                    FileHandle.standardError.write(Data("\nquitting now\n".utf8))
                    exit(130)
                }
            }
        }
    }

    public func cancel() { watcher.cancel() }
}
