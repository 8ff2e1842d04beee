/// One step's inputs.
public struct TrainingBatch: Sendable {
    public var step: Int
    public var images: ImageBatch
    public var tokens: TokenBatch
    /// Sample indices into the data set, and which caption each used (0 = the original).
    public var sampleIndices: [Int]
    public var captionChoices: [Int]
}
