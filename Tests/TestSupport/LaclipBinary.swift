import Foundation

/// Runs the real `laclip` binary, with the checkout's meta pairs and template.
public enum Laclip {
    public static var environment: [String: String] {
        ["LACLIP_META_PAIRS": RepositoryPaths.metaPairs.path, "LACLIP_PROMPTS": RepositoryPaths.prompts.path]
    }

    @discardableResult
    public static func run(_ arguments: String..., in directory: URL? = nil) throws -> ProcessOutput {
        try run(arguments, in: directory)
    }

    @discardableResult
    public static func run(_ arguments: [String], in directory: URL? = nil) throws -> ProcessOutput {
        try ProcessRunner.run(RepositoryPaths.laclip, arguments, environment: environment, currentDirectory: directory)
    }

    public static func start(_ arguments: [String]) throws -> RunningProcess {
        try ProcessRunner.start(RepositoryPaths.laclip, arguments, environment: environment)
    }
}
