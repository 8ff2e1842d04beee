import Foundation

/// The dataset files one enqueue names, expanded the way the field writes shard lists:
/// brace ranges as webdataset and img2dataset write them (`shards/{00000..00099}.tar`, the
/// width of the first bound kept), brace lists (`{a,b}`), and directories (their `.parquet`
/// and `.tar` files, by name). A shell has already expanded globs. Order is kept as given, so
/// caption ids follow the order a user listed (and LAION's part numbers).
public enum SourceList {
    public static func expand(_ arguments: [String]) throws -> [URL] {
        var paths: [String] = []
        for argument in arguments {
            for path in try expandBraces(argument) {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                    let inside = try datasetFiles(in: path)
                    guard !inside.isEmpty else {
                        throw EnqueueError(.sources, "\(path): a directory with no .parquet or .tar files")
                    }
                    paths += inside
                } else {
                    paths.append(path)
                }
            }
        }
        var seen = Set<String>()
        for path in paths where !seen.insert(URL(fileURLWithPath: path).standardizedFileURL.path).inserted {
            throw EnqueueError(.sources, "\(path) is listed twice")
        }
        return paths.map { URL(fileURLWithPath: $0) }
    }

    static func datasetFiles(in directory: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        let wanted = Set(["parquet", "parq", "tar"])
        return names.filter {
            !$0.hasPrefix(".") && wanted.contains(URL(fileURLWithPath: $0).pathExtension.lowercased())
        }
        .sorted().map { (directory as NSString).appendingPathComponent($0) }
    }

    /// Expands the first `{...}` group and recurses on the results.
    static func expandBraces(_ text: String) throws -> [String] {
        guard let open = text.firstIndex(of: "{"), let close = text[open...].firstIndex(of: "}") else { return [text] }
        let prefix = String(text[..<open])
        let body = String(text[text.index(after: open)..<close])
        let suffix = String(text[text.index(after: close)...])
        let parts: [String]
        if let range = body.range(of: "..") {
            let low = String(body[..<range.lowerBound]), high = String(body[range.upperBound...])
            guard let a = Int(low), let b = Int(high), a <= b else {
                throw EnqueueError(.sources, "\(text): \(body) is not a range like 00000..00099")
            }
            guard b - a < 10_000_000 else { throw EnqueueError(.sources, "\(text): the range \(body) is too large") }
            let width = low.count
            parts = (a...b).map { value in
                let digits = String(value)
                return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
            }
        } else if body.contains(",") {
            parts = body.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        } else {
            return [text]
        }
        return try parts.flatMap { try expandBraces(prefix + $0 + suffix) }
    }
}
