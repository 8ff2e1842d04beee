import Foundation

/// Takes signals away from their default action (which ends the process before any cleanup:
/// a drain, a restored screen, removed temporary files) and hands each to `handler`, one at a
/// time, on a serial queue. The one way laclip's commands catch Ctrl-C, SIGTERM and SIGHUP.
public final class SignalHandlers: @unchecked Sendable {
    // Set once in init; a dispatch source may be cancelled from any thread.
    private let sources: [any DispatchSourceSignal]

    public init(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "laclip.signals")
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    /// Stops handing the signals over; they stay ignored, as they were while handled.
    public func cancel() { sources.forEach { $0.cancel() } }
}
