import CLIPData
import CaptionIO
import Foundation
import Synth

/// What the LLM produced, per style: how many rewrites the loader will use (two words or more,
/// LaCLIP's rule), how many keep their original's colour and shape, how many merely repeat the
/// original, their mean length, and a few examples.
struct RewriteSummary {
    struct Style {
        var name: String
        var usable: Double
        var keepsConcepts: Double
        var sameAsOriginal: Double
        var meanWords: Double
        /// Replaced by the original in the guarded export (fidelity under the threshold).
        var guardedToOriginal: Double
    }

    var rows: Int
    var originalMeanWords: Double
    var styles: [Style]
    var examples: [[String]]

    /// `dataset` was read from `csv` and its `<stem>_<style>.txt` rewrite files; `guarded` from
    /// the same job's `--min-fidelity` export (same rows, same styles).
    init(_ dataset: LaCLIPDataset, guarded: LaCLIPDataset, csv: URL) {
        let samples = dataset.samples
        func words(_ text: String) -> Int { text.split(separator: " ").count }
        rows = samples.count
        let n = Double(max(rows, 1))
        originalMeanWords = Double(samples.reduce(0) { $0 + words($1.captions[0]) }) / n
        // Rewrite files are named <csv stem>_<style>.txt (`rewriteStyles` drops the .txt); show the style.
        styles = dataset.rewriteStyles.enumerated().map { index, file in
            let name = LaCLIPFileNames.rewriteStyle(fileName: file + ".txt", csv: csv) ?? file
            let texts = samples.map { $0.captions[index + 1] }
            let guardedTexts = guarded.samples.map { $0.captions[index + 1] }
            return Style(
                name: name, usable: Double(texts.filter { words($0) >= 2 }.count) / n,
                keepsConcepts: Double(
                    zip(texts, samples).filter { SynthConcepts.keeps(original: $1.captions[0], rewrite: $0) }.count)
                    / n,
                sameAsOriginal: Double(zip(texts, samples).filter { $0 == $1.captions[0] }.count) / n,
                meanWords: Double(texts.reduce(0) { $0 + words($1) }) / n,
                guardedToOriginal: Double(
                    zip(zip(texts, guardedTexts), samples).filter {
                        $0.0 != $0.1 && $0.1 == $1.captions[0]
                    }.count) / n)
        }
        examples = samples.prefix(3).map(\.captions)
    }
}
