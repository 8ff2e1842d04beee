import Foundation
import RewriteQueue
import Tar

/// `--format webdataset`: one output tar per input tar shard, same name, every member copied
/// byte for byte in its original order (images are never decoded or even read into memory),
/// each sample's `.json` gaining one string field per style (created when the sample had none).
///
/// Rows arrive in caption order, which is source order; a tar is written once every row of its
/// source has arrived, under a temporary name renamed into place, so each tar is atomic on its
/// own; the fsync and rename happen on `TarCommitter`'s thread while the next tar is copied.
/// A tar already in the output folder is kept unless `--force`: a re-run after a crash
/// finishes only the missing ones.
final class WebDatasetWriter: ExportWriter {
    let needsMetadata = false
    private let out: URL
    private let sources: [SourceRecord]
    private let styleKeys: [[UInt8]]
    private let styleNames: [String]
    private let force: Bool
    /// Index into `sources` of the next tar to write.
    private var nextSource = 0
    /// The current source's rows by sample key: its rewrites, or nil when the row is skipped.
    private var rows: [String: [[UInt8]]?] = [:]
    private var originals: [String: [UInt8]] = [:]
    private var finishedKeys = Set<String>()
    private let committer = TarCommitter()
    private var kept = 0
    private var droppedUnsafe = 0

    /// JSON members larger than this are not parsed (img2dataset writes a few hundred bytes).
    static let jsonLimit = 16 << 20

    init(out: URL, sources: [SourceRecord], styles: [String], force: Bool) throws {
        self.out = out
        self.sources = sources
        styleNames = styles
        styleKeys = styles.map { Array($0.utf8) }
        self.force = force
        var names = Set<String>()
        for source in sources {
            let layout = SourceLayoutFormat(source)
            guard layout?.format == "webdataset" else {
                throw ExportError(
                    .unsupported,
                    "--format webdataset needs a job enqueued from tar shards; \(source.path) is \(layout?.format ?? "not a tar")"
                )
            }
            let name = URL(fileURLWithPath: source.path).lastPathComponent
            guard names.insert(name).inserted else {
                throw ExportError(
                    .unsupported, "two input shards are named \(name); the export writes one tar per input name")
            }
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ExportError(.outputExists, "\(out.path) is a file; --out names a folder for the tar shards")
        }
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        Self.removeAbandonedTemporaries(in: out)
    }

    /// A failed export must not leave a commit running behind it.
    deinit { _ = try? committer.wait() }

    func write(_ row: ExportRow) throws {
        try advance(to: Int(row.sourceID))
        guard let key = row.key.map({ String(decoding: $0, as: UTF8.self) }) else {
            throw ExportError(
                .unsupported, "caption \(row.captionID) has no sample key; the job was not enqueued from tar shards")
        }
        rows[key] = row.rewrites.map { Array($0) }
        originals[key] = Array(row.caption)
    }

    func skip(_ row: ExportRow) throws {
        try advance(to: Int(row.sourceID))
        if let key = row.key { rows[String(decoding: key, as: UTF8.self)] = .some(nil) }
    }

    func finish(report: inout ExportReport) throws {
        try advance(to: sources.count)
        report.files += try committer.wait()
        report.keptExisting = kept
        report.droppedUnsafeMembers = droppedUnsafe
    }

    /// Writes every tar before source `id` (sources with no exported rows too).
    private func advance(to id: Int) throws {
        while nextSource < min(id, sources.count) {
            try writeTar(sources[nextSource])
            nextSource += 1
            rows = [:]
            originals = [:]
            finishedKeys = []
        }
    }

    private func writeTar(_ source: SourceRecord) throws {
        let target = out.appendingPathComponent(URL(fileURLWithPath: source.path).lastPathComponent)
        if !force, FileManager.default.fileExists(atPath: target.path) {
            kept += 1
            return
        }
        let temporary = try AtomicOutputs.temporaryName(for: target)
        let writer: TarWriter
        do {
            let reader = try TarReader(path: source.path, displayName: source.path)
            writer = try TarWriter(path: temporary.path)
            var sample: [TarEntry] = []
            var sampleKey: String?
            func flush() throws {
                if let sampleKey { try writeSample(sample, key: sampleKey, reader: reader, writer: writer) }
                sample = []
                sampleKey = nil
            }
            while true {
                let entry: TarEntry?
                // A broken archive was reported at enqueue; the samples before the break are written.
                do { entry = try reader.next() } catch is TarError { break }
                guard let entry else { break }
                guard entry.isSafeRelativeName else {
                    droppedUnsafe += 1
                    continue
                }
                let key = WebDatasetKey(memberName: entry.name)?.key ?? entry.name
                if key != sampleKey {
                    try flush()
                    sampleKey = key
                }
                sample.append(entry)
            }
            try flush()
        } catch let error as TarError {
            unlink(temporary.path)
            throw ExportError(.damaged, "\(source.path): \(error.description)")
        } catch {
            unlink(temporary.path)
            throw error
        }
        try committer.commit(writer, source: source.path, temporary: temporary, target: target)
    }

    private func writeSample(_ members: [TarEntry], key: String, reader: TarReader, writer: TarWriter) throws {
        // A key seen again later in the shard was a bad row (duplicate key): copied as it was.
        guard let found = rows[key], !finishedKeys.contains(key) else {
            // Not in the job (a bad row at enqueue, or a member outside any sample): copied as it was.
            for member in members { try writer.appendRaw(from: reader, entry: member) }
            return
        }
        finishedKeys.insert(key)
        guard let rewrites = found else { return } // --missing skip
        var wroteJSON = false
        for member in members {
            if !wroteJSON, member.isRegularFile, WebDatasetKey(memberName: member.name)?.lowercasedExtension == "json" {
                let data = try reader.readData(member, limit: Self.jsonLimit)
                try writer.append(
                    name: member.name, data: try withRewrites(data, rewrites, member: member.name),
                    mode: member.mode, mtime: member.mtime)
                wroteJSON = true
            } else {
                try writer.appendRaw(from: reader, entry: member)
            }
        }
        if !wroteJSON {
            var object: [UInt8] = Array("{\"key\":".utf8)
            try JSONText.appendString(Array(key.utf8), to: &object)
            object += Array(",\"caption\":".utf8)
            try JSONText.appendString(originals[key] ?? [], to: &object)
            object.append(UInt8(ascii: "}"))
            try writer.append(
                name: key + ".json", data: try withRewrites(object, rewrites, member: key + ".json"),
                mode: members.first?.mode ?? 0o644, mtime: members.first?.mtime ?? 0)
        }
    }

    /// The sample's JSON object with one string field per style. The original bytes are kept and
    /// the fields inserted before the closing brace, so every field img2dataset wrote stays as it
    /// was; only when a style's field already exists (a re-export) is the object re-encoded.
    private func withRewrites(_ json: [UInt8], _ rewrites: [[UInt8]], member: String) throws -> [UInt8] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json))) as? [String: Any] else {
            throw ExportError(.damaged, "\(member): not a JSON object; cannot add the rewrites to it")
        }
        if styleNames.contains(where: { object[$0] != nil }) {
            var replaced = object
            for (name, rewrite) in zip(styleNames, rewrites) {
                replaced[name] = String(decoding: rewrite, as: UTF8.self)
            }
            return Array(
                try JSONSerialization.data(withJSONObject: replaced, options: [.sortedKeys, .withoutEscapingSlashes]))
        }
        var end = json.count
        while end > 0, JSONText.isWhitespace(json[end - 1]) { end -= 1 }
        guard end > 0, json[end - 1] == UInt8(ascii: "}") else {
            throw ExportError(.damaged, "\(member): not a JSON object")
        }
        var result = Array(json[0..<(end - 1)])
        var needsComma = !object.isEmpty
        for (name, rewrite) in zip(styleKeys, rewrites) {
            if needsComma { result.append(UInt8(ascii: ",")) }
            needsComma = true
            try JSONText.appendString(name, to: &result)
            result.append(UInt8(ascii: ":"))
            try JSONText.appendString(rewrite, to: &result)
        }
        result.append(UInt8(ascii: "}"))
        result += json[end...]
        return result
    }

    /// Temporaries a killed export left (`.NAME.tmp-PID-...` whose process is gone).
    static func removeAbandonedTemporaries(in directory: URL) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for entry in entries where entry.hasPrefix(".") {
            guard let range = entry.range(of: ".tmp-") else { continue }
            let pid = entry[range.upperBound...].prefix { $0.isNumber }
            guard let value = Int32(pid), kill(value, 0) != 0, errno == ESRCH else { continue }
            unlink(directory.appendingPathComponent(entry).path)
        }
    }
}

/// JSON text built in memory, with `FieldEncoding`'s string encoding.
enum JSONText {
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    static func appendString(_ text: [UInt8], to out: inout [UInt8]) throws {
        try text.withUnsafeBufferPointer { field in
            try FieldEncoding.json(field) { out.append(contentsOf: $0) }
        }
    }
}
