import Foundation

/// Every style found in a meta-pair directory, keyed by name.
public struct MetaPairLibrary: Sendable {
    /// Files that define a style: `NAME.txt`; anything else (README.md, dotfiles) is skipped.
    public static let fileExtension = "txt"

    public var sources: [String: MetaPairSource]

    public init(sources: [String: MetaPairSource]) {
        self.sources = sources
    }

    /// Style names in a stable order (the bundled four first, in the paper's order, then the
    /// rest alphabetically), for listings and for enqueueing styles in a fixed order.
    public var styleNames: [String] {
        let paperOrder = ["chatgpt", "bard", "coco", "human"]
        let bundled = paperOrder.filter { sources[$0] != nil }
        return bundled + sources.keys.filter { !paperOrder.contains($0) }.sorted()
    }

    /// Loads and validates every `*.txt` file of `directory`; the first problem found is thrown
    /// as `FILE:LINE: reason`, files taken in name order so the report is stable.
    public static func load(directory: URL) throws(MetaPairError) -> MetaPairLibrary {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw MetaPairError(
                file: directory.path, line: nil,
                reason: "cannot list the meta-pair directory: \(error.localizedDescription)")
        }
        var sources: [String: MetaPairSource] = [:]
        for fileName in names.sorted() where !fileName.hasPrefix(".") && fileName.hasSuffix("." + fileExtension) {
            let url = directory.appendingPathComponent(fileName)
            let source = try loadFile(url: url)
            sources[source.name] = source
        }
        if sources.isEmpty {
            throw MetaPairError(
                file: directory.path, line: nil, reason: "no meta-pair files (NAME.\(fileExtension)) in this directory")
        }
        return MetaPairLibrary(sources: sources)
    }

    /// Loads one file; its style name is the file name without `.txt`.
    public static func loadFile(url: URL) throws(MetaPairError) -> MetaPairSource {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw MetaPairError(file: url.path, line: nil, reason: "cannot read: \(error.localizedDescription)")
        }
        let text = try decodeUTF8(data, file: url.path)
        let name = url.deletingPathExtension().lastPathComponent
        return try MetaPairSource.parse(name: name, text: text, file: url.path)
    }

    /// Strict UTF-8 decoding that names the line of the first bad byte instead of silently
    /// substituting U+FFFD.
    static func decodeUTF8(_ data: Data, file: String) throws(MetaPairError) -> String {
        if let text = String(validating: data, as: UTF8.self) { return text }
        var lineNumber = 1
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if String(validating: line, as: UTF8.self) == nil {
                throw MetaPairError(file: file, line: lineNumber, reason: "not valid UTF-8")
            }
            lineNumber += 1
        }
        throw MetaPairError(file: file, line: nil, reason: "not valid UTF-8")
    }
}
