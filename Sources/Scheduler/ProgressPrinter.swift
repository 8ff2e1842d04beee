import Foundation
import Monitor
import Synchronization

/// The run's own progress: a line redrawn in place on a terminal, plain lines otherwise.
public final class ProgressPrinter: Sendable {
    private let interval: Double
    private let terminal = isatty(STDERR_FILENO) == 1
    private let drawing = Mutex<(task: Task<Void, Never>?, finished: Bool)>((nil, false))

    public init(interval: Double) { self.interval = interval }

    public func start(_ counters: RunCounters) {
        let period = terminal ? 1.0 : max(interval, 0.5)
        let task = Task { [self] in
            while (try? await Task.sleep(for: .seconds(period))) != nil {
                draw(counters.snapshot().line)
            }
        }
        drawing.withLock { $0.task = task }
    }

    /// Under the lock, so that no line is drawn after `finish` cleared it.
    private func draw(_ line: String) {
        drawing.withLock { state in
            guard !state.finished else { return }
            if terminal {
                let width = TerminalScreen(fd: STDERR_FILENO).size().columns
                FileHandle.standardError.write(Data(("\r\u{1B}[2K" + String(line.prefix(width - 1))).utf8))
            } else {
                FileHandle.standardError.write(Data(("progress: " + line + "\n").utf8))
            }
        }
    }

    public func finish() {
        drawing.withLock { state in
            state.finished = true
            state.task?.cancel()
            if terminal { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        }
    }
}
