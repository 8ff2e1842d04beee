import Foundation

/// One training run of the comparison: which captions its steps may sample. Every arm shares
/// the images, seed, model, steps, batch order and tokenizer.
struct ExperimentArm {
    /// Folder and file prefix under the output directory (clip/, clip-eval.json).
    var name: String
    /// Column heading and plot legend.
    var label: String
    var colour: String
    var trainCSV: URL
    var rewriteFiles: [URL]
    /// false = the original captions only (vanilla CLIP).
    var augmentText: Bool
    /// One line for results.md: what the arm's captions are.
    var about: String
}
