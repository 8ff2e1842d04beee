import Foundation

/// Takes signals away from their default action (which ends the process before any cleanup:
/// a drain, a restored screen, removed temporary files) and delivers them, in order, to
/// whoever iterates. The one way laclip's commands catch Ctrl-C, SIGTERM and SIGHUP.
///
/// The signals are ignored from `init` on, not from the first `next()`, so make the stream
/// before starting the task that reads it. When iteration ends (the task is cancelled) the
/// signals stay ignored, as they were while handled.
public struct SignalStream: AsyncSequence, Sendable {
    public typealias Element = Int32
    private let stream: AsyncStream<Int32>

    public init(_ signals: [Int32]) {
        stream = AsyncStream { continuation in
            let queue = DispatchQueue(label: "laclip.signals")
            let sources = DispatchSources(
                signals.map { number in
                    signal(number, SIG_IGN)
                    let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                    source.setEventHandler { continuation.yield(number) }
                    source.resume()
                    return source
                })
            continuation.onTermination = { _ in sources.cancel() }
        }
    }

    public func makeAsyncIterator() -> AsyncStream<Int32>.Iterator { stream.makeAsyncIterator() }
}

/// The stream's dispatch sources, cancelled when it terminates. Set once; a dispatch source
/// may be cancelled from any thread.
private final class DispatchSources: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    init(_ sources: [any DispatchSourceSignal]) { self.sources = sources }
    func cancel() { sources.forEach { $0.cancel() } }
}
