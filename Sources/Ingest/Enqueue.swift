import CaptionIO
import Foundation
import Logging
import Prompting
import RewriteQueue

/// `laclip enqueue`: validates a dataset file in a first pass (so that a bad row stops
/// everything before a single file is written), then streams it into new shard files, one
/// task per (caption, style) with its demonstration draw, and registers them in one
/// transaction.
public enum Enqueue {
    public static func run(_ options: EnqueueOptions, logger: Logger) throws -> EnqueueReport {
        let started = Date()
        ShardBuilder.prepareForParallelBuilds()
        let layout = JobLayout(directory: options.job)
        let sourcePath = options.source.path
        guard FileManager.default.fileExists(atPath: sourcePath) else {
            throw EnqueueError("\(sourcePath): no such file")
        }
        let staging = StagingDirectory(for: layout.directory)
        staging.removeAbandoned()

        var existingManifest: JobManifest?
        if layout.exists {
            switch options.existing {
            case .refuse:
                throw EnqueueError("\(layout.directory.path) already holds a job: use --append to add \(sourcePath) to it, or --force to start over")
            case .append: existingManifest = try JobManifest(layout: layout)
            case .replace: break
            }
        } else if options.existing != .replace, directoryHasEntries(layout.directory) {
            throw EnqueueError("\(layout.directory.path) exists and is not a laclip job (no job.sqlite); choose another --job or use --force")
        }

        let checksum = try FileChecksum.sha256(of: options.source)
        if let existingManifest, let previous = try existingManifest.source(checksum: checksum.hex) {
            throw EnqueueError("\(sourcePath) is already in this job (added as \(previous.path), sha256 \(checksum.hex.prefix(12))…); nothing to do")
        }

        // The job's own snapshot decides seed, styles and demonstrations on append, so that
        // appended captions are drawn exactly as a single enqueue would have drawn them.
        let plan = try existingManifest.map { try JobPlan(manifest: $0) } ?? JobPlan(options: options)
        let ids = try existingManifest?.nextIDs() ?? (caption: 0, shard: 0, source: 0)
        var known = try existingManifest.map { try knownCaptions(of: $0, dedup: plan.dedup) } ?? KnownCaptions()

        // Pass 1: validate, count, measure duplicates.
        var report = try validate(options, known: known)
        report.styles = plan.styles.map(\.name)
        report.appended = existingManifest != nil
        guard report.captions > 0 else {
            throw EnqueueError("\(sourcePath): no captions to enqueue (\(report.rows) rows, \(report.badRows.count) bad)")
        }

        // Pass 2: build shard files.
        let workDirectory = existingManifest == nil ? staging.staging : layout.directory
        if existingManifest == nil { try staging.create() }
        do {
            let manifest = try existingManifest ?? JobManifest.create(
                layout: JobLayout(directory: staging.staging), config: plan.config, styles: plan.styles,
                template: plan.template)
            let perShard = plan.sharding.captionsPerShard(total: report.captions)
            var shards: [ShardRecord] = []
            var builder: ShardBuilder?
            var shardFirst: Int64 = ids.caption
            // Finishing a shard (sorting and writing its tasks, syncing) runs on a second thread
            // while this one parses the next shard's captions.
            let finisher = ShardFinisher()
            func closeShard() throws {
                guard let current = builder else { return }
                shards.append(ShardRecord(id: ids.shard + shards.count, file: current.url.lastPathComponent, sourceID: ids.source,
                                          firstCaption: shardFirst, captions: current.captionCount, tasks: current.taskCount))
                finisher.finish(current)
                builder = nil
            }
            let reader = try CaptionReader(url: options.source, options: options.reader)
            var index = 0
            while let item = try reader.next() {
                guard case .record(let record) = item else { continue }
                let id = ids.caption + Int64(index)
                if index % perShard == 0 {
                    try closeShard()
                    shardFirst = id
                    let file = JobLayout.shardFileName(ids.shard + shards.count)
                    builder = try ShardBuilder(url: workDirectory.appendingPathComponent(file))
                }
                let canonical = plan.dedup ? known.canonical(for: record.caption, id: id) : nil
                try builder!.addCaption(id: id, sourceID: ids.source, row: record.row, line: record.line,
                                        image: record.image, text: record.caption, canonicalID: canonical)
                if canonical == nil {
                    for (styleIndex, source) in plan.sources.enumerated() {
                        let draw = DemonstrationSampler.draw(from: source, jobSeed: plan.seed, captionID: id, count: plan.demonstrationCount)
                        try builder!.addTask(TaskID(caption: id, style: styleIndex), draw: draw.packed)
                    }
                }
                index += 1
            }
            try closeShard()
            try finisher.wait()
            guard index == report.captions else {
                throw EnqueueError("\(sourcePath) changed while it was being read (\(report.captions) captions, then \(index)); enqueue again")
            }
            report.shards = shards.count
            report.tasks = shards.reduce(0) { $0 + $1.tasks }

            let source = SourceRecord(
                id: ids.source, path: options.source.standardizedFileURL.path, checksum: checksum.hex, bytes: checksum.bytes,
                layout: String(decoding: try JSONEncoder().encode(report.layout), as: UTF8.self),
                rows: report.rows, captions: report.captions, badRows: report.badRows.count,
                duplicates: report.duplicates, firstCaption: ids.caption, addedAt: WallClock.now())
            let badRows = report.badRows.map {
                BadRowRecord(sourceID: ids.source, line: $0.line, row: $0.row, reason: $0.reason.rawValue, detail: $0.description)
            }
            try manifest.register(source: source, shards: shards, badRows: badRows)
            if existingManifest == nil { try staging.commit() }
        } catch {
            if existingManifest == nil { staging.discard() }
            throw error
        }
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    private static func validate(_ options: EnqueueOptions, known: KnownCaptions) throws -> EnqueueReport {
        let reader = try CaptionReader(url: options.source, options: options.reader)
        var report = EnqueueReport(layout: reader.layout)
        var seen = known.keys
        while let item = try reader.next() {
            report.rows += 1
            switch item {
            case .record(let record):
                report.captions += 1
                if !seen.insert(CaptionKey(record.caption)).inserted { report.duplicates += 1 }
            case .bad(let bad):
                if options.onBadRow == .fail {
                    throw EnqueueError("\(bad.description)\n(nothing was enqueued; fix the row, or pass --on-bad-row skip to skip and record such rows)")
                }
                report.badRows.append(bad)
            }
        }
        return report
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
