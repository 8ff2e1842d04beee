import Foundation

/// Paths inside the laclip checkout and its build folder, for tests that run the real binary.
public enum RepositoryPaths {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var metaPairs: URL { root.appendingPathComponent("MetaPairs") }
    public static var prompts: URL { root.appendingPathComponent("Prompts") }

    /// A product built beside the running test bundle (`swift test` builds every product).
    public static func executable(_ name: String) -> URL {
        if let override = ProcessInfo.processInfo.environment["LACLIP_BUILD_DIR"] {
            return URL(fileURLWithPath: override).appendingPathComponent(name)
        }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        var dir = beside
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/\(name)")
    }

    public static var laclip: URL { executable("laclip") }
}
