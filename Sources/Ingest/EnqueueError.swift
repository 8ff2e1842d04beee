/// Why an enqueue refused to go on. The job directory is left as it was.
public struct EnqueueError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
