import CaptionIO
import Foundation
import Logging
import Prompting
import RewriteQueue

/// `laclip enqueue`: streams dataset files into new shard files, one task per (caption, style)
/// with its demonstration draw, and registers them all in one transaction: the commit point.
/// A bad row (fail mode) or any error before it discards every file built, so nothing is
/// enqueued; a new job is built in a staging folder and renamed into place.
public enum Enqueue {
    /// One dataset file of the enqueue.
    struct Source {
        var url: URL
        var checksum: (hex: String, bytes: Int64)
    }

    public static func run(_ options: EnqueueOptions, logger: Logger) throws -> EnqueueReport {
        let started = Date()
        ShardBuilder.prepareForParallelBuilds()
        let layout = JobLayout(directory: options.job)
        guard !options.sources.isEmpty else { throw EnqueueError(.sources, "no dataset files given") }
        for url in options.sources where !FileManager.default.fileExists(atPath: url.path) {
            throw EnqueueError(.sources, "\(url.path): no such file")
        }
        let names = options.sources.map(\.path).joined(separator: ", ")
        let staging = StagingDirectory(for: layout.directory)
        staging.removeAbandoned()

        var existingManifest: JobManifest?
        if layout.exists {
            switch options.existing {
            case .refuse:
                throw EnqueueError(
                    .jobExists,
                    "\(layout.directory.path) already holds a job: use --append to add \(names) to it, or --force to start over"
                )
            case .append: existingManifest = try JobManifest(layout: layout)
            case .replace: break
            }
        } else if options.existing != .replace, directoryHasEntries(layout.directory) {
            throw EnqueueError(
                .jobExists,
                "\(layout.directory.path) exists and is not a laclip job (no job.sqlite); choose another --job or use --force"
            )
        }

        var checksums: [String: String] = [:]
        var sources: [Source] = []
        for url in options.sources {
            let checksum = try FileChecksum.sha256(of: url)
            if let existingManifest, let previous = try existingManifest.source(checksum: checksum.hex) {
                throw EnqueueError(
                    .duplicateFile,
                    "\(url.path) is already in this job (added as \(previous.path), sha256 \(checksum.hex.prefix(12))…); nothing to do"
                )
            }
            if let twin = checksums[checksum.hex] {
                throw EnqueueError(
                    .duplicateFile,
                    "\(url.path) and \(twin) have the same contents (sha256 \(checksum.hex.prefix(12))…); give each file once"
                )
            }
            checksums[checksum.hex] = url.path
            sources.append(Source(url: url, checksum: checksum))
        }

        // The job's own snapshot decides seed, styles and demonstrations on append, so that
        // appended captions are drawn exactly as a single enqueue would have drawn them.
        let definition = try existingManifest.map { try $0.definition() } ?? JobDefinition(options: options)
        let configuration = definition.configuration
        let ids = try existingManifest?.nextIDs() ?? (caption: 0, shard: 0, source: 0)
        var known =
            try existingManifest.map { try knownCaptions(of: $0, dedup: configuration.dedup) } ?? KnownCaptions()

        // Fixed-size shards need no total, so files are read once: rows are checked while the
        // shards are built, and a bad row (fail mode) discards what was built. `--shards N`
        // needs the caption count first, so there a counting pass comes before.
        var seen = known.keys
        var totalCaptions: Int?
        if case .count = configuration.sharding {
            var counting = seen
            var total = 0
            for source in sources { total += try validate(source.url, options, seen: &counting).captions }
            totalCaptions = total
        }
        var report = EnqueueReport(
            layout: CaptionLayout(
                format: .txt, hasHeader: false, columns: nil, captionColumn: "",
                imageColumn: nil, summary: ""))
        report.styles = definition.styles.map(\.name)
        report.appended = existingManifest != nil

        let workDirectory = existingManifest == nil ? staging.staging : layout.directory
        if existingManifest == nil { try staging.create() }
        var built: [URL] = []
        // Finishing a shard (sorting and writing its tasks, syncing) runs on a second thread
        // while this one parses the next shard's captions.
        let finisher = ShardFinisher()
        do {
            let manifest =
                try existingManifest
                ?? JobManifest.create(
                    layout: JobLayout(directory: staging.staging), definition: definition)
            let perShard = configuration.sharding.captionsPerShard(total: totalCaptions ?? 0)
            var registrations: [JobManifest.SourceRegistration] = []
            var nextCaption = ids.caption
            var nextShard = ids.shard
            for (offset, source) in sources.enumerated() {
                let sourceID = ids.source + offset
                let firstCaption = nextCaption
                var shards: [ShardRecord] = []
                var builder: ShardBuilder?
                var shardFirst = nextCaption
                func closeShard() throws {
                    guard let current = builder else { return }
                    shards.append(
                        ShardRecord(
                            id: nextShard, file: current.url.lastPathComponent, sourceID: sourceID,
                            firstCaption: shardFirst, captions: current.captionCount, tasks: current.taskCount))
                    nextShard += 1
                    finisher.finish(current)
                    builder = nil
                }
                let reader = try CaptionSources.open(url: source.url, options: options.reader)
                var fileReport = EnqueueReport(layout: reader.layout)
                var index = 0
                while let item = try reader.next() {
                    fileReport.rows += 1
                    let record: CaptionRecord
                    switch item {
                    case .record(let good): record = good
                    case .bad(let bad):
                        if options.onBadRow == .fail { throw badRowError(bad) }
                        fileReport.badRows.append(bad)
                        continue
                    }
                    if !seen.insert(CaptionKey(record.caption)).inserted { fileReport.duplicates += 1 }
                    let id = nextCaption + Int64(index)
                    if index % perShard == 0 {
                        try closeShard()
                        shardFirst = id
                        let url = workDirectory.appendingPathComponent(JobLayout.shardFileName(nextShard))
                        built.append(url)
                        builder = try ShardBuilder(url: url)
                    }
                    guard let current = builder else { continue }
                    let canonical = configuration.dedup ? known.canonical(for: record.caption, id: id) : nil
                    try current.addCaption(
                        id: id, sourceID: sourceID, row: record.row, line: record.line,
                        image: record.image, key: record.key, text: record.caption, canonicalID: canonical)
                    if canonical == nil {
                        for (styleIndex, metaPairs) in definition.demonstrations.enumerated() {
                            let draw = DemonstrationSampler.draw(
                                from: metaPairs, jobSeed: configuration.seed, captionID: id,
                                count: definition.prompt.demonstrationCount)
                            try current.addTask(TaskID(caption: id, style: styleIndex), draw: draw.packed)
                        }
                    }
                    index += 1
                }
                try closeShard()
                fileReport.captions = index
                nextCaption += Int64(index)
                let record = SourceRecord(
                    id: sourceID, path: source.url.standardizedFileURL.path, checksum: source.checksum.hex,
                    bytes: source.checksum.bytes,
                    layout: String(decoding: try JSONEncoder().encode(fileReport.layout), as: UTF8.self),
                    rows: fileReport.rows, captions: fileReport.captions, badRows: fileReport.badRows.count,
                    duplicates: fileReport.duplicates, firstCaption: firstCaption, addedAt: WallClock.now())
                let badRows = fileReport.badRows.map {
                    BadRowRecord(
                        sourceID: sourceID, line: $0.line, row: $0.row, reason: $0.reason.rawValue,
                        detail: $0.description)
                }
                registrations.append(.init(source: record, shards: shards, badRows: badRows))
                if offset == 0 { report.layout = fileReport.layout }
                report.files.append(
                    EnqueueReport.File(
                        path: source.url.path, layout: fileReport.layout, rows: fileReport.rows,
                        captions: fileReport.captions))
                report.rows += fileReport.rows
                report.captions += fileReport.captions
                report.duplicates += fileReport.duplicates
                report.badRows += fileReport.badRows
                report.shards += shards.count
                report.tasks += shards.reduce(0) { $0 + $1.tasks }
            }
            try finisher.wait()
            guard report.captions > 0 else {
                throw EnqueueError(
                    .noCaptions, "\(names): no captions to enqueue (\(report.rows) rows, \(report.badRows.count) bad)")
            }
            if let totalCaptions, totalCaptions != report.captions {
                throw EnqueueError(
                    .changedWhileReading,
                    "\(names) changed while being read (\(totalCaptions) captions, then \(report.captions)); enqueue again"
                )
            }
            try manifest.register(registrations)
            if existingManifest == nil { try staging.commit() }
        } catch {
            try? finisher.wait()
            if existingManifest == nil {
                staging.discard()
            } else {
                // An append builds in the job folder; unregistered files are ignored, but not kept.
                for url in built { try? FileManager.default.removeItem(at: url) }
            }
            throw error
        }
        report.seconds = Date().timeIntervalSince(started)
        logger.debug(
            "enqueued",
            metadata: [
                "job": "\(layout.directory.path)", "captions": "\(report.captions)",
                "duplicates": "\(report.duplicates)",
                "bad_rows": "\(report.badRows.count)", "shards": "\(report.shards)", "tasks": "\(report.tasks)",
                "appended": "\(report.appended)", "seconds": "\(String(format: "%.2f", report.seconds))",
            ])
        return report
    }

    private static func validate(_ url: URL, _ options: EnqueueOptions, seen: inout Set<CaptionKey>) throws
        -> EnqueueReport
    {
        let reader = try CaptionSources.open(url: url, options: options.reader)
        var report = EnqueueReport(layout: reader.layout)
        while let item = try reader.next() {
            report.rows += 1
            switch item {
            case .record(let record):
                report.captions += 1
                if !seen.insert(CaptionKey(record.caption)).inserted { report.duplicates += 1 }
            case .bad(let bad):
                if options.onBadRow == .fail { throw badRowError(bad) }
                report.badRows.append(bad)
            }
        }
        return report
    }

    static func badRowError(_ bad: BadRow) -> EnqueueError {
        EnqueueError(
            .badRow,
            "\(bad.description)\n(nothing was enqueued; fix the row, or pass --on-bad-row skip to skip and record such rows)"
        )
    }

    private static func knownCaptions(of manifest: JobManifest, dedup: Bool) throws -> KnownCaptions {
        var known = KnownCaptions()
        let job = try Job(directory: manifest.layout.directory, readonly: true)
        for shard in job.shards {
            try job.openShard(shard, readonly: true).forEachCaption { id, text, canonical in
                known.keys.insert(CaptionKey(text))
                if dedup, canonical == nil { known.first[CaptionKey(text)] = id }
            }
        }
        return known
    }

    private static func directoryHasEntries(_ url: URL) -> Bool {
        !((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).isEmpty
    }
}

/// Captions already seen: every key (for the duplicate ratio) and, with dedup, the id of the
/// first caption of each key (the one that owns the tasks).
struct KnownCaptions {
    var keys = Set<CaptionKey>()
    var first: [CaptionKey: Int64] = [:]

    /// The id of an earlier identical caption, or nil after recording `id` as the first.
    mutating func canonical(for caption: String, id: Int64) -> Int64? {
        let key = CaptionKey(caption)
        if let existing = first[key] { return existing }
        first[key] = id
        return nil
    }
}
