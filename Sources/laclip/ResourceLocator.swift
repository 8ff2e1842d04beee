import ArgumentParser
import Foundation

/// Finds the bundled `MetaPairs/` and `Prompts/` folders: a flag wins, then an environment
/// variable, then the working directory, then the checkout the binary was built in.
enum ResourceLocator {
    static func directory(named name: String, flag: String?, environment: String) throws -> URL {
        let fm = FileManager.default
        if let flag { return URL(fileURLWithPath: flag) }
        if let value = ProcessInfo.processInfo.environment[environment], !value.isEmpty {
            return URL(fileURLWithPath: value)
        }
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent(name)
        if fm.fileExists(atPath: cwd.path) { return cwd }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent(name)
            if fm.fileExists(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        throw ValidationError("cannot find the \(name)/ folder: run from the laclip checkout, or set \(environment)")
    }

    /// The meta-pair folder and the prompt template a new job or a preview uses: the flags when
    /// given, else the bundled `MetaPairs/` and `Prompts/laclip.txt`.
    static func promptInputs(metaPairs: String?, template: String?) throws -> (metaPairs: URL, template: URL) {
        let metaDirectory = try directory(named: "MetaPairs", flag: metaPairs, environment: "LACLIP_META_PAIRS")
        let templateURL =
            try template.map(URL.init(fileURLWithPath:))
            ?? directory(named: "Prompts", flag: nil, environment: "LACLIP_PROMPTS").appendingPathComponent(
                "laclip.txt")
        return (metaDirectory, templateURL)
    }
}
