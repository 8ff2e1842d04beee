import Foundation

@testable import Prompting

/// The repository's MetaPairs/ and Prompts/, found from this file's path so the tests work in
/// the module's own package and in the main repository alike (both keep Tests/PromptingTests
/// two levels below the root).
enum RepositoryFiles {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
    static let metaPairs = root.appendingPathComponent("MetaPairs")
    static let prompts = root.appendingPathComponent("Prompts")

    static func bundledLibrary() throws -> MetaPairLibrary {
        try MetaPairLibrary.load(directory: metaPairs)
    }
}

/// A fresh scratch directory under the system temp folder, removed by the caller.
func makeScratchDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("prompting-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Pearson's chi-square statistic of observed counts against equal expected counts.
func chiSquare(_ counts: [Int]) -> Double {
    let total = counts.reduce(0, +)
    let expected = Double(total) / Double(counts.count)
    return counts.reduce(0.0) { sum, observed in
        let difference = Double(observed) - expected
        return sum + difference * difference / expected
    }
}

/// A bound on chi-square for `cells` equally likely cells: the statistic has mean `cells - 1`
/// and standard deviation `sqrt(2 (cells - 1))`; five deviations above the mean, which a
/// uniform draw exceeds with probability well under 1e-4 (and, seeds being fixed, the tests
/// are deterministic anyway), while the biased draws in `SamplerUniformityTests` overshoot it.
func chiSquareBound(cells: Int) -> Double {
    let degrees = Double(cells - 1)
    return degrees + 5 * (2 * degrees).squareRoot()
}
