import Foundation
import Tar

/// Streams the samples of one WebDataset tar shard (img2dataset's `KEY.jpg`, `KEY.txt`,
/// `KEY.json`, ...) as caption records: grouped by key as the `webdataset` package groups them,
/// the caption from `KEY.txt` or a field of `KEY.json`, the key as the record's id and the image
/// member's name as its image. Only caption and JSON members are read into memory; images are
/// skipped over, so memory does not grow with the shard.
public final class WebDatasetCaptionReader: CaptionSource {
    public let layout: CaptionLayout
    public let fileName: String

    private let reader: TarReader
    private let captionKey: String?
    private let maxCaptionCharacters: Int
    /// Caption members larger than this are not read but reported as too long.
    private let memberLimit: Int
    private var pending: Sample?
    private var seenKeys = Set<String>()
    private var row = 0
    /// Set once the archive is broken: what follows cannot be trusted, so reading stops.
    private var finished = false
    /// A member whose name is not a safe relative path, reported before reading on.
    private var unsafeName: String?
    /// Reported once the samples read before the break are out.
    private var brokenArchive: BadRow?

    private struct Sample {
        var key: String
        var caption: TarEntry?
        var json: TarEntry?
        var image: String?
    }

    static let imageSuffixes: Set<String> = [
        "jpg", "jpeg", "png", "webp", "gif", "bmp", "tif", "tiff", "avif", "ppm", "pgm",
    ]

    public init(url: URL, options: CaptionReaderOptions = .init()) throws {
        fileName = url.isFileURL ? url.relativePath : url.absoluteString
        captionKey = options.captionKey
        maxCaptionCharacters = options.maxCaptionCharacters
        memberLimit = max(64 << 10, options.maxCaptionCharacters * 4 + 4096)
        if options.captionColumn != nil || options.imageColumn != nil || options.idColumn != nil {
            throw CaptionFileError(
                file: fileName, kind: .undecidableColumns,
                message:
                    "a WebDataset shard has no columns: the caption is KEY.txt (or --caption-key FIELD of KEY.json), the id is the sample key"
            )
        }
        do {
            reader = try TarReader(path: url.path, displayName: fileName)
        } catch let error as TarError {
            throw CaptionFileError(file: fileName, kind: .cannotOpen, message: error.detail)
        }
        let source = captionKey.map { "caption=.json field \($0)" } ?? "caption=.txt"
        layout = CaptionLayout(
            format: .webdataset, hasHeader: false, columns: nil,
            captionColumn: captionKey.map { "json:\($0)" } ?? "txt",
            imageColumn: "image member", idColumn: "key",
            summary: "webdataset tar shard, samples grouped by key, \(source), id=key, image=member name")
    }

    public func next() throws -> CaptionReadResult? {
        if unsafeName != nil { return takeUnsafe() }
        while !finished {
            let entry: TarEntry?
            do {
                entry = try reader.next()
            } catch let error as TarError {
                // The samples before the break are whole; the one the broken member belongs to is not.
                finished = true
                brokenArchive = broken(error)
                if let current = pending, error.member.flatMap({ WebDatasetKey(memberName: $0)?.key }) != current.key {
                    pending = nil
                    return try record(for: current)
                }
                pending = nil
                break
            }
            guard let entry else {
                finished = true
                break
            }
            guard entry.isRegularFile, !WebDatasetKey.isSkippedMetadata(entry.name),
                let parts = WebDatasetKey(memberName: entry.name)
            else { continue }
            let suffix = parts.lowercasedExtension
            if !entry.isSafeRelativeName {
                // Never trusted as a path: recorded as bad, left out of every export.
                let completed = pending
                pending = nil
                unsafeName = entry.name
                if let completed { return try record(for: completed) }
                return takeUnsafe()
            }
            if let current = pending, current.key == parts.key, !hasMember(current, suffix: suffix) {
                pending = add(entry, suffix: suffix, to: current)
                continue
            }
            let completed = pending
            pending = add(entry, suffix: suffix, to: Sample(key: parts.key))
            if let completed { return try record(for: completed) }
        }
        if let last = pending {
            pending = nil
            return try record(for: last)
        }
        if let bad = brokenArchive {
            brokenArchive = nil
            return .bad(bad)
        }
        return nil
    }

    private func takeUnsafe() -> CaptionReadResult? {
        guard let name = unsafeName else { return nil }
        unsafeName = nil
        defer { row += 1 }
        return .bad(
            BadRow(
                file: fileName, line: 0, row: row, reason: .unsafeMemberName,
                detail: "unsafe member name: \(name) is absolute or climbs out with '..'; left out",
                place: "\(fileName):\(name)"))
    }

    private func hasMember(_ sample: Sample, suffix: String) -> Bool {
        (suffix == "txt" && sample.caption != nil) || (suffix == "json" && sample.json != nil)
    }

    private func add(_ entry: TarEntry, suffix: String, to sample: Sample) -> Sample {
        var sample = sample
        switch suffix {
        case "txt": sample.caption = entry
        case "json": sample.json = entry
        default:
            if sample.image == nil, Self.imageSuffixes.contains(suffix) { sample.image = entry.name }
        }
        return sample
    }

    private func record(for sample: Sample) throws -> CaptionReadResult {
        defer { row += 1 }
        let place = "\(fileName):\(sample.key)"
        func bad(_ reason: BadRowReason, _ detail: String) -> CaptionReadResult {
            .bad(BadRow(file: fileName, line: 0, row: row, reason: reason, detail: detail, place: place))
        }
        guard seenKeys.insert(sample.key).inserted else {
            return bad(.duplicateKey, "duplicate key: an earlier sample of this shard has the key \(sample.key)")
        }
        let bytes: [UInt8]
        if let captionKey {
            guard let json = sample.json else {
                return bad(.missingColumn, "missing caption: the sample has no .json member")
            }
            guard json.size <= Int64(memberLimit) * 4 else {
                return bad(.captionTooLong, "caption too long: \(json.name) is \(json.size) bytes")
            }
            let data = try read(json, limit: memberLimit * 4)
            guard String(validating: data, as: UTF8.self) != nil else {
                return bad(.invalidUTF8, "invalid UTF-8 in \(json.name)")
            }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(data))) as? [String: Any] else {
                return bad(.invalidJSON, "invalid JSON: \(json.name) is not a JSON object")
            }
            guard let value = object[captionKey], !(value is NSNull) else {
                return bad(.missingColumn, "missing caption: \(json.name) has no field '\(captionKey)' (or it is null)")
            }
            guard let text = value as? String else {
                return bad(.invalidJSON, "invalid JSON value: field '\(captionKey)' of \(json.name) is not a string")
            }
            bytes = Array(text.utf8)
        } else {
            guard let member = sample.caption else {
                return bad(.missingColumn, "missing caption: the sample has no .txt member")
            }
            guard member.size <= Int64(memberLimit) else {
                return bad(.captionTooLong, "caption too long: \(member.name) is \(member.size) bytes")
            }
            bytes = try read(member, limit: memberLimit)
        }
        guard let caption = String(validating: bytes, as: UTF8.self) else {
            return bad(.invalidUTF8, "invalid UTF-8 in the caption")
        }
        if let problem = CaptionCheck.problem(caption, maxCharacters: maxCaptionCharacters) {
            return bad(problem.reason, problem.detail)
        }
        return .record(CaptionRecord(line: 0, row: row, caption: caption, image: sample.image, key: sample.key))
    }

    private func read(_ entry: TarEntry, limit: Int) throws -> [UInt8] {
        do {
            return try reader.readData(entry, limit: limit)
        } catch let error as TarError {
            throw CaptionFileError(file: fileName, kind: .readFailed, message: error.description)
        }
    }

    private func broken(_ error: TarError) -> BadRow {
        let member = error.member.map { " (member \($0))" } ?? ""
        return BadRow(
            file: fileName, line: 0, row: row, reason: .brokenArchive,
            detail: "broken archive\(member): \(error.detail); nothing after this point is read",
            place: "\(fileName): offset \(error.offset)")
    }
}
