import CLIPData
import Foundation
import Seeding
import Tensor

/// A procedural image-caption data set that needs no download: PNG scenes of coloured shapes
/// with noisy web-style captions, written as a LaCLIP export, plus a held-out labelled split
/// for zero-shot evaluation (classes are colour + shape, e.g. "red circle").
///
/// Layout of the output folder:
///   train.csv                      image_path,caption (no header), paths relative to the folder
///   images/train/NNNNNN.png
///   rewrites/synthetic-K.txt       optional templated rewrites, line-aligned with train.csv
///   heldout.csv                    image_path,label for zero-shot evaluation
///   images/heldout/NNNNNN.png
///   classes.txt                    every label, one per line
public enum Synth {
    public struct Options: Sendable {
        public var count: Int
        public var heldOutCount: Int
        public var imageSize: Int
        public var seed: UInt64
        /// Templated sentence rewrites per caption (0 = none): a stand-in for LLM rewrites so
        /// the LaCLIP sampling path can run on synthetic data.
        public var rewriteStyles: Int

        public init(count: Int, heldOutCount: Int? = nil, imageSize: Int = 64, seed: UInt64 = 0, rewriteStyles: Int = 0)
        {
            self.count = count
            self.heldOutCount = heldOutCount ?? max(count / 10, 40)
            self.imageSize = imageSize
            self.seed = seed
            self.rewriteStyles = rewriteStyles
        }
    }

    public struct Output: Sendable {
        public var trainCSV: URL
        public var rewriteFiles: [URL]
        public var heldOutCSV: URL
        public var classesFile: URL
        public var classes: [String]
    }

    public static var classes: [String] {
        SynthScene.colours.flatMap { colour in SynthScene.shapes.map { "\(colour.name) \($0)" } }
    }

    /// Writes the data set into `directory` (created if needed). The same options give the
    /// same files byte for byte.
    @discardableResult
    public static func generate(options: Options, into directory: URL) throws -> Output {
        guard options.count >= 1, options.heldOutCount >= 0, options.imageSize >= 16 else {
            throw DataError(
                description:
                    "synth needs at least 1 image of at least 16 px (got \(options.count) images of \(options.imageSize) px)"
            )
        }
        let fileManager = FileManager.default
        for folder in ["images/train", "images/heldout"] + (options.rewriteStyles > 0 ? ["rewrites"] : []) {
            try fileManager.createDirectory(
                at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        var csv = ""
        var rewrites = [String](repeating: "", count: options.rewriteStyles)
        for index in 0..<options.count {
            var generator = SeededGenerator(seed: mix(options.seed, 0x7EA1, UInt64(index)))
            let scene = SynthScene(generator: &generator)
            let path = String(format: "images/train/%06d.png", index)
            try scene.render(size: options.imageSize, generator: &generator).writePNG(
                to: directory.appendingPathComponent(path))
            csv += "\(path),\(csvField(SynthCaption.web(scene, generator: &generator)))\n"
            for style in 0..<options.rewriteStyles {
                rewrites[style] += SynthCaption.rewrite(scene, style: style, generator: &generator) + "\n"
            }
        }
        var heldOut = ""
        for index in 0..<options.heldOutCount {
            var generator = SeededGenerator(seed: mix(options.seed, 0x4E1D, UInt64(index)))
            let scene = SynthScene(generator: &generator)
            let path = String(format: "images/heldout/%06d.png", index)
            try scene.render(size: options.imageSize, generator: &generator).writePNG(
                to: directory.appendingPathComponent(path))
            heldOut += "\(path),\(scene.label)\n"
        }
        let trainCSV = directory.appendingPathComponent("train.csv")
        let heldOutCSV = directory.appendingPathComponent("heldout.csv")
        let classesFile = directory.appendingPathComponent("classes.txt")
        try Data(csv.utf8).write(to: trainCSV)
        try Data(heldOut.utf8).write(to: heldOutCSV)
        try Data((classes.joined(separator: "\n") + "\n").utf8).write(to: classesFile)
        var rewriteFiles: [URL] = []
        for (style, text) in rewrites.enumerated() {
            let url = directory.appendingPathComponent("rewrites/synthetic-\(style + 1).txt")
            try Data(text.utf8).write(to: url)
            rewriteFiles.append(url)
        }
        return Output(
            trainCSV: trainCSV, rewriteFiles: rewriteFiles, heldOutCSV: heldOutCSV, classesFile: classesFile,
            classes: classes)
    }

    /// Quotes a CSV field when it holds a comma, quote or line break (RFC 4180).
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
