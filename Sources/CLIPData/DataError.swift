/// A training data set that cannot be read.
public struct DataError: Error, Sendable, CustomStringConvertible {
    public var description: String

    /// Public because the batch schedule (CLIP) and the synthetic generator (Synth) report
    /// data sets they cannot use with it too.
    public init(description: String) { self.description = description }
}
