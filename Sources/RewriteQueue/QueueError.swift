/// A problem with a job directory or its files, worded for the person at the terminal.
public struct QueueError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
