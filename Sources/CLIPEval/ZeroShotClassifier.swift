import CLIP

/// Zero-shot classification as CLIP does it: each class is the normalised mean of its prompts'
/// normalised text embeddings (ensembling in embedding space), and an image goes to the class
/// of highest cosine similarity.
public struct ZeroShotClassifier: Sendable {
    public let classNames: [String]
    /// One unit vector per class.
    public let classEmbeddings: [[Float]]

    /// `promptEmbeddings[c]` holds the text embeddings of class c's prompts (one per template);
    /// they need not be normalised.
    public init(classNames: [String], promptEmbeddings: [[[Float]]]) {
        precondition(classNames.count == promptEmbeddings.count && promptEmbeddings.allSatisfy { !$0.isEmpty })
        self.classNames = classNames
        classEmbeddings = promptEmbeddings.map { prompts in
            var mean = [Float](repeating: 0, count: prompts[0].count)
            for embedding in prompts {
                let unit = VectorMath.normalized(embedding)
                for i in mean.indices { mean[i] += unit[i] }
            }
            return VectorMath.normalized(mean.map { $0 / Float(prompts.count) })
        }
    }

    /// Embeds every class name through every template with the model's text tower.
    public init(classNames: [String], templates: ZeroShotTemplates, model: CLIPModel, tokenizer: Tokenizer) {
        let perClass = templates.templates.count
        let all = Evaluation.embedTexts(
            classNames.flatMap { templates.prompts(for: $0) }, model: model, tokenizer: tokenizer)
        self.init(
            classNames: classNames,
            promptEmbeddings: (0..<classNames.count).map { Array(all[($0 * perClass)..<(($0 + 1) * perClass)]) })
    }

    /// Cosine similarity of one (normalised) image embedding to every class.
    public func scores(_ imageEmbedding: [Float]) -> [Float] {
        classEmbeddings.map { VectorMath.dot(imageEmbedding, $0) }
    }

    /// Top-1 and top-5 accuracy; `labels[i]` is the class index of image i. A class tied with
    /// the true one counts as ranked above it.
    public func evaluate(imageEmbeddings: [[Float]], labels: [Int]) -> ZeroShotResult {
        precondition(imageEmbeddings.count == labels.count)
        let scores = VectorMath.similarities(imageEmbeddings, classEmbeddings)
        let ranks = zip(scores, labels).map { VectorMath.rank(of: $1, in: $0) }
        let n = Double(max(labels.count, 1))
        return ZeroShotResult(
            top1: Double(ranks.filter { $0 <= 1 }.count) / n, top5: Double(ranks.filter { $0 <= 5 }.count) / n,
            imageCount: labels.count, classCount: classNames.count, templateCount: nil)
    }
}

public struct ZeroShotResult: Sendable, Codable, Equatable {
    public var top1: Double
    public var top5: Double
    public var imageCount: Int
    public var classCount: Int
    public var templateCount: Int?
}
