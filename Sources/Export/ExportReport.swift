import Foundation

/// What an export wrote.
public struct ExportReport: Sendable, Equatable {
    public var files: [URL] = []
    /// Rows in every written file (one per exported caption row).
    public var rows = 0
    /// Rows left out because a rewrite was missing (`--missing skip`).
    public var skippedRows = 0
    /// Rewrites replaced by the original caption (`--missing original`).
    public var filledWithOriginal = 0
    /// Rows written from a dedup'd caption's rewrites (fan-out of duplicates).
    public var duplicateRows = 0
    /// Rows whose image path does not end in .jpg/.jpeg/.png (LaCLIP's loader drops those rows
    /// from the CSV, so they are worth knowing about).
    public var nonImagePaths = 0
    /// Rewrites of fewer than 2 words written as the original caption (Parquet, WebDataset).
    public var shortRewritesReplaced = 0
    /// Rewrites scoring under `--min-fidelity`, written as the original caption.
    public var lowFidelityReplaced = 0
    /// WebDataset: tars already in the output folder, kept as they were (no --force).
    public var keptExisting = 0
    /// WebDataset: members left out of the output because their names are unsafe (absolute, `..`).
    public var droppedUnsafeMembers = 0
    public var seconds = 0.0
    public init() {}
}
