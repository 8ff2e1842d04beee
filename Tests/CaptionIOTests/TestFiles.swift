import CaptionIO
import Foundation
import Testing

/// A fresh directory per test; files are addressed relative to it so messages read "data.csv:3: ...".
final class TestDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("CaptionIOTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func file(_ name: String) -> URL {
        URL(fileURLWithPath: name, relativeTo: url)
    }

    func write(_ name: String, _ text: String) throws -> URL {
        try write(name, bytes: Array(text.utf8))
    }

    func write(_ name: String, bytes: [UInt8]) throws -> URL {
        let target = file(name)
        try Data(bytes).write(to: target)
        return target
    }
}

struct ReadOutcome {
    var layout: CaptionLayout
    var results: [CaptionReadResult]

    var records: [CaptionRecord] { results.compactMap(\.record) }
    var badRows: [BadRow] { results.compactMap(\.badRow) }
    var captions: [String] { records.map(\.caption) }
}

func readAll(_ url: URL, _ options: CaptionReaderOptions = .init()) throws -> ReadOutcome {
    let reader = try CaptionReader(url: url, options: options)
    var results: [CaptionReadResult] = []
    while let result = try reader.next() { results.append(result) }
    // Reading past the end keeps returning nil.
    #expect(try reader.next() == nil)
    return ReadOutcome(layout: reader.layout, results: results)
}

/// The file-level error thrown when opening `url`, or a recorded failure if none was thrown.
func fileError(_ url: URL, _ options: CaptionReaderOptions = .init(), sourceLocation: SourceLocation = #_sourceLocation)
    -> CaptionFileError?
{
    do {
        _ = try CaptionReader(url: url, options: options)
        Issue.record("expected a CaptionFileError for \(url.relativePath)", sourceLocation: sourceLocation)
        return nil
    } catch let error as CaptionFileError {
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

extension CaptionReadResult {
    var record: CaptionRecord? {
        if case .record(let record) = self { return record }
        return nil
    }

    var badRow: BadRow? {
        if case .bad(let bad) = self { return bad }
        return nil
    }
}

func record(_ line: Int, _ row: Int, _ caption: String, _ image: String? = nil) -> CaptionReadResult {
    .record(CaptionRecord(line: line, row: row, caption: caption, image: image))
}
