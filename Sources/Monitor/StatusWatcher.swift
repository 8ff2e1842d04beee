import Foundation
import Synchronization

/// `laclip status` output modes: one report, or `--watch` (redrawn in place on a terminal,
/// one plain line — or one JSON object with `--json` — per interval otherwise).
public enum StatusWatcher {
    public struct Options: Sendable {
        public var json = false
        /// Seconds between refreshes; nil = report once.
        public var watchInterval: Double?
        /// With a watch: stop once no task is pending or in flight (after showing that report),
        /// so a script can show the live view while a run works and go on when it is done.
        public var untilComplete = false
        public init() {}
    }

    public static func run(directory: URL, options: Options) throws {
        let collector = StatusCollector(directory: directory)
        let terminal = TerminalScreen.isTerminal()
        let color = TerminalScreen.colorAllowed()
        guard let interval = options.watchInterval else {
            let report = try collector.collect()
            if options.json { return print(try report.json()) }
            let screen = TerminalScreen()
            let size = terminal ? screen.size() : (columns: 160, rows: 120)
            // A one-shot report is not limited to the screen's height: it scrolls like any output.
            let renderer = StatusRenderer(width: size.columns, height: max(size.rows, 60))
            print(
                renderer.lines(report).map { $0.rendered(width: renderer.width, color: color) }.joined(separator: "\n"))
            return
        }
        if options.json || !terminal {
            while true {
                let report = try collector.collect()
                // Unbuffered, so that a pipe reader sees each line when it is made.
                FileHandle.standardOutput.write(
                    Data(((options.json ? try report.json() : StatusRenderer.plainLine(report)) + "\n").utf8))
                if options.untilComplete && report.complete { return }
                Thread.sleep(forTimeInterval: interval)
            }
        }
        let screen = TerminalScreen()
        let last = LastLine()
        screen.enter { signalNumber in
            if let line = last.value { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
            exit(signalNumber == SIGINT ? 130 : 0)
        }
        defer {
            screen.leave()
            // Leaving the alternate screen erases the view: keep its summary on the normal one.
            if options.untilComplete, let line = last.value { print(line) }
        }
        while true {
            let report = try collector.collect()
            last.value = StatusRenderer.plainLine(report)
            let size = screen.size()
            let renderer = StatusRenderer(width: size.columns, height: size.rows)
            var lines = renderer.lines(report).map { $0.rendered(width: size.columns, color: color) }
            // The last row stays empty so that the terminal never scrolls.
            lines = Array(lines.prefix(max(1, size.rows - 1)))
            screen.draw(lines)
            if options.untilComplete && report.complete { return }
            Thread.sleep(forTimeInterval: interval)
        }
    }
}

/// The latest plain line, printed on the normal screen when the watch is interrupted.
final class LastLine: Sendable {
    private let stored = Mutex<String?>(nil)
    var value: String? {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}
