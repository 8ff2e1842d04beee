/// A step of the experiment that could not run.
public struct ExperimentError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}
