import CLIPData
import Foundation
import Synth

/// Copies of the rewrite files in which every rewrite that drops a colour or shape of its
/// original is blanked. LaCLIP's loader replaces a text of fewer than two words by the
/// original, so training on them is LaCLIP with the drifting rewrites filtered out.
enum FaithfulRewrites {
    /// `dataset` was read from the CSV and `rewrites`, in that order.
    static func write(_ dataset: LaCLIPDataset, rewrites: [URL], into folder: URL) throws -> [URL] {
        let samples = dataset.samples
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try rewrites.enumerated().map { index, file in
            // Edit the file's own lines so rows the loader skips stay where they were.
            var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            if lines.last == "" { lines.removeLast() }
            for sample in samples
            where !SynthConcepts.keeps(original: sample.captions[0], rewrite: sample.captions[index + 1]) {
                lines[sample.row] = ""
            }
            let target = folder.appendingPathComponent(file.lastPathComponent)
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: target)
            return target
        }
    }
}
