import Foundation
import Synchronization

/// The terminal side of `--watch`: the alternate screen with the cursor hidden while watching,
/// each frame drawn from the top-left over the previous one (no scrolling), and the screen and
/// cursor restored however the watch ends (Ctrl-C, SIGTERM, normal return).
public final class TerminalScreen: Sendable {
    private let fd: Int32
    /// Whether the alternate screen is on; every write to the terminal holds it.
    private let active = Mutex(false)

    public init(fd: Int32 = STDOUT_FILENO) { self.fd = fd }

    public static func isTerminal(_ fd: Int32 = STDOUT_FILENO) -> Bool { isatty(fd) == 1 }

    /// Colour only on a terminal, and never when NO_COLOR is set to anything (no-color.org) or
    /// TERM is dumb.
    public static func colorAllowed(
        fd: Int32 = STDOUT_FILENO, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Bool {
        guard isatty(fd) == 1 else { return false }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        return environment["TERM"] != "dumb"
    }

    /// Columns and rows, from the terminal itself (COLUMNS/LINES are rarely exported).
    public func size() -> (columns: Int, rows: Int) {
        var size = winsize()
        if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 {
            return (Int(size.ws_col), Int(size.ws_row))
        }
        let env = ProcessInfo.processInfo.environment
        return (Int(env["COLUMNS"] ?? "") ?? 80, Int(env["LINES"] ?? "") ?? 24)
    }

    /// Switches to the alternate screen and arranges for Ctrl-C and SIGTERM to restore it;
    /// `onSignal` runs after the restore (it prints the last line and exits).
    public func enter(onSignal: @escaping @Sendable (Int32) -> Void) {
        let signals = SignalStream([SIGINT, SIGTERM, SIGHUP])
        active.withLock { active in
            active = true
            emit("\u{1B}[?1049h\u{1B}[?25l\u{1B}[H\u{1B}[2J")
        }
        Task { [self] in
            for await signalNumber in signals {
                leave()
                onSignal(signalNumber)
            }
        }
    }

    /// Draws a frame: every line overwrites the previous frame's and clears its own tail,
    /// and what is below the last line is cleared.
    public func draw(_ lines: [String]) {
        active.withLock { active in
            guard active else { return }
            emit("\u{1B}[H" + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\r\n") + "\u{1B}[J")
        }
    }

    public func leave() {
        active.withLock { active in
            guard active else { return }
            active = false
            emit("\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l")
        }
    }

    private func emit(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }

    deinit { leave() }
}
