/// Why an export did not happen, worded for the person at the terminal. Nothing is left
/// behind when it is thrown: temporary files are removed.
public struct ExportError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
