/// Sizes of a CLIP model: a ViT image tower and a causal text tower meeting in a shared
/// embedding space.
public struct CLIPConfiguration: Sendable, Codable, Equatable {
    public var imageResolution: Int
    public var patchSize: Int
    public var visionWidth: Int
    public var visionDepth: Int
    public var visionHeads: Int
    public var contextLength: Int
    public var vocabularySize: Int
    public var textWidth: Int
    public var textDepth: Int
    public var textHeads: Int
    public var embedDimension: Int

    public init(
        imageResolution: Int, patchSize: Int, visionWidth: Int, visionDepth: Int, visionHeads: Int,
        contextLength: Int, vocabularySize: Int, textWidth: Int, textDepth: Int, textHeads: Int,
        embedDimension: Int
    ) {
        self.imageResolution = imageResolution
        self.patchSize = patchSize
        self.visionWidth = visionWidth
        self.visionDepth = visionDepth
        self.visionHeads = visionHeads
        self.contextLength = contextLength
        self.vocabularySize = vocabularySize
        self.textWidth = textWidth
        self.textDepth = textDepth
        self.textHeads = textHeads
        self.embedDimension = embedDimension
    }

    /// Seconds per step on one core: for tests, smoke runs and the synthetic data set.
    public static let tiny = CLIPConfiguration(
        imageResolution: 32, patchSize: 8, visionWidth: 64, visionDepth: 2, visionHeads: 2,
        contextLength: 32, vocabularySize: 1024, textWidth: 64, textDepth: 2, textHeads: 2, embedDimension: 64)

    /// A model that can learn a real small data set on a CPU in hours.
    public static let small = CLIPConfiguration(
        imageResolution: 64, patchSize: 8, visionWidth: 192, visionDepth: 4, visionHeads: 3,
        contextLength: 48, vocabularySize: 4096, textWidth: 192, textDepth: 4, textHeads: 3, embedDimension: 128)

    public static func preset(named name: String) -> CLIPConfiguration? {
        switch name {
        case "tiny": return .tiny
        case "small": return .small
        default: return nil
        }
    }

    public var patchesPerSide: Int { imageResolution / patchSize }
    public var patchCount: Int { patchesPerSide * patchesPerSide }
    /// Values in one flattened patch (channel-major, then rows, then columns, as a conv kernel).
    public var patchValues: Int { 3 * patchSize * patchSize }

    public func validate() throws(CLIPConfigurationError) {
        func require(_ condition: Bool, _ reason: String) throws(CLIPConfigurationError) {
            if !condition { throw CLIPConfigurationError(description: reason) }
        }
        try require(
            imageResolution > 0 && patchSize > 0 && imageResolution % patchSize == 0,
            "image resolution \(imageResolution) must be a positive multiple of the patch size \(patchSize)")
        try require(
            visionWidth > 0 && visionHeads > 0 && visionWidth % visionHeads == 0,
            "vision width \(visionWidth) must be divisible by its \(visionHeads) heads")
        try require(
            textWidth > 0 && textHeads > 0 && textWidth % textHeads == 0,
            "text width \(textWidth) must be divisible by its \(textHeads) heads")
        try require(visionDepth >= 1 && textDepth >= 1, "depths must be at least 1")
        try require(
            contextLength >= 3, "context length \(contextLength) must hold a start token, a word and an end token")
        try require(
            vocabularySize >= Tokenizer.minimumVocabularySize,
            "vocabulary size \(vocabularySize) is below the \(Tokenizer.minimumVocabularySize) byte-level tokens and 2 special tokens"
        )
        try require(embedDimension > 0, "embed dimension must be positive")
    }
}

/// An impossible combination of model sizes.
public struct CLIPConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String
}
