/// Data or settings an evaluation cannot work with.
public struct EvaluationError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}
