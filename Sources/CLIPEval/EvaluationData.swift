import CLIPData
import Foundation

/// What `laclip eval` measures on: labelled held-out images (zero-shot, linear probe,
/// few-shot) and, when present, held-out image-caption pairs (retrieval).
public struct EvaluationData: Sendable {
    public var labelledImages: [URL]
    /// Class index of each labelled image.
    public var labels: [Int]
    public var classNames: [String]
    /// Retrieval pairs: `captionImages[i]` is described by `captions[i]` (empty without a captions file).
    public var captionImages: [URL]
    public var captions: [String]
    /// Files the data came from (for the report).
    public var sources: [String]

    public init(
        labelledImages: [URL], labels: [Int], classNames: [String], captionImages: [URL] = [], captions: [String] = [],
        sources: [String] = []
    ) {
        precondition(labelledImages.count == labels.count && captionImages.count == captions.count)
        self.labelledImages = labelledImages
        self.labels = labels
        self.classNames = classNames
        self.captionImages = captionImages
        self.captions = captions
        self.sources = sources
    }

    /// The synth layout, from its folder or from its labelled CSV:
    ///   heldout.csv             image_path,label (no header), paths relative to the CSV's folder
    ///   classes.txt             every class name, one per line (default: the CSV's distinct labels)
    ///   heldout-captions.csv    image_path,caption for retrieval (optional; `captions` overrides)
    /// A captions file next to another labelled CSV is found as `<stem>-captions.csv`.
    public static func load(path: URL, captions: URL? = nil) throws -> EvaluationData {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory) else {
            throw EvaluationError(description: "\(path.path): no such file or folder")
        }
        let labelledCSV = isDirectory.boolValue ? path.appendingPathComponent("heldout.csv") : path
        let folder = labelledCSV.deletingLastPathComponent()
        let labelled = try LaCLIPDataset(csv: labelledCSV)
        let labelNames = labelled.samples.map { $0.captions[0].trimmingCharacters(in: .whitespaces) }

        let classesFile = folder.appendingPathComponent("classes.txt")
        var sources = [labelledCSV.path]
        let classNames: [String]
        if FileManager.default.fileExists(atPath: classesFile.path) {
            let text = try String(contentsOf: classesFile, encoding: .utf8)
            classNames = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter
            { !$0.isEmpty }
            sources.append(classesFile.path)
        } else {
            classNames = Array(Set(labelNames)).sorted()
        }
        guard Set(classNames).count == classNames.count else {
            throw EvaluationError(description: "\(classesFile.path): a class is listed twice")
        }
        let index = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        var labels: [Int] = []
        for (sample, name) in zip(labelled.samples, labelNames) {
            guard let label = index[name] else {
                throw EvaluationError(
                    description:
                        "\(labelledCSV.lastPathComponent):\(sample.row + 1): label '\(name)' is not in \(classesFile.lastPathComponent)"
                )
            }
            labels.append(label)
        }

        let stem = labelledCSV.deletingPathExtension().lastPathComponent
        let captionsFile = captions ?? folder.appendingPathComponent("\(stem)-captions.csv")
        var captionImages: [URL] = [], captionTexts: [String] = []
        if captions != nil || FileManager.default.fileExists(atPath: captionsFile.path) {
            let pairs = try LaCLIPDataset(csv: captionsFile)
            captionImages = pairs.samples.map(\.image)
            captionTexts = pairs.samples.map { $0.captions[0] }
            sources.append(captionsFile.path)
        }
        return EvaluationData(
            labelledImages: labelled.samples.map(\.image), labels: labels, classNames: classNames,
            captionImages: captionImages, captions: captionTexts, sources: sources)
    }
}
