import CaptionIO
import Foundation
import RewriteQueue

/// `laclip export`: writes a job's captions and rewrites in a trainer's format, shard by
/// shard in caption (source) order, under temporary names renamed into place at the end.
public enum Exporter {
    /// `shouldStop` is polled between shards (Ctrl-C): the export then throws and leaves nothing.
    public static func run(_ options: ExportOptions, shouldStop: @Sendable () -> Bool = { false }) throws
        -> ExportReport
    {
        let started = Date()
        let job = try Job(directory: options.job, readonly: true)
        let styles = job.styles.map(\.name)
        if options.missing == .fail { try refuseMissing(job: job, directory: options.job) }
        if options.minFidelity != nil { try refuseUnscored(job: job, directory: options.job) }
        let sources = try job.manifest.sources()
        let columns = SourceColumns(sources: sources)
        if options.format == .openclip { try OpenCLIPWriter.checkColumnNames(styles: styles, idColumn: columns.id) }

        let targets =
            switch options.format {
            case .laclip: LaCLIPWriter.targets(out: options.out, styles: styles, keyed: columns.id != nil)
            case .webdataset: [URL]()
            default: [options.out]
            }
        if Set(targets.map(\.standardizedFileURL.path)).count != targets.count {
            throw ExportError(.unsupported, "two styles would write the same file; rename a style")
        }
        try AtomicOutputs.check(targets, force: options.force)

        let outputs = AtomicOutputs(force: options.force)
        defer { outputs.discard() }
        let writer: ExportWriter =
            switch options.format {
            case .laclip: try LaCLIPWriter(outputs: outputs, targets: targets, styles: styles.count)
            case .openclip:
                try OpenCLIPWriter(
                    sink: outputs.create(options.out), separator: options.separator, styles: styles,
                    idColumn: columns.id)
            case .jsonl: JSONLWriter(sink: try outputs.create(options.out), styles: styles)
            case .parquet:
                try ParquetExportWriter(
                    path: outputs.reserve(options.out), columns: columns, styles: styles,
                    compression: options.compression, rowGroupRows: options.rowGroupRows)
            case .webdataset:
                try WebDatasetWriter(out: options.out, sources: sources, styles: styles, force: options.force)
            }

        var column = Array(repeating: -1, count: TaskID.maxStyles)
        for (position, style) in job.styles.enumerated() { column[style.index] = position }
        var carry = try DuplicateCarry(job: job, dedup: job.definition.configuration.dedup)
        var report = ExportReport()
        var row = ExportRow(styles: styles.count)
        let prefetcher = ShardPrefetcher(
            job: job, shards: job.shards, column: column, styleCount: styles.count,
            metadata: writer.needsMetadata)
        defer { prefetcher.cancel() }
        for _ in job.shards {
            if shouldStop() { throw ExportError(.interrupted, "export interrupted; nothing was written") }
            let assembly = try prefetcher.next()
            try write(
                assembly, carry: carry, policy: options.missing, checkImages: options.format == .laclip,
                shortToOriginal: options.format.writesOriginalForShortRewrites,
                minFidelity: options.minFidelity.map { Float($0) }, row: &row, writer: writer, report: &report)
            carry.keep(from: assembly)
            carry.forget(before: assembly.shard.firstCaption + Int64(assembly.shard.captions))
        }
        try writer.finish(report: &report)
        try outputs.commit()
        report.files += outputs.targets
        report.seconds = Date().timeIntervalSince(started)
        return report
    }

    /// The default policy: counted from the kept counters, before anything is written.
    static func refuseMissing(job: Job, directory: URL) throws {
        let counts = try job.counts()
        let missing = counts.total - counts.total(.done)
        guard missing > 0 else { return }
        let parts = [(TaskState.pending, "pending"), (.leased, "in flight"), (.dead, "dead-lettered")]
            .filter { counts.total($0.0) > 0 }.map { "\(counts.total($0.0)) \($0.1)" }
        throw ExportError(
            .notReady,
            """
            \(missing) of \(counts.total) rewrites are not done yet (\(parts.joined(separator: ", "))); nothing was written.
            See `laclip status --job \(directory.path)`, or export anyway with --missing original (the original caption \
            in their place) or --missing skip (leave those rows out of every file).
            """)
    }

    /// `--min-fidelity` needs every rewrite scored: a job made before scores existed gets them
    /// from `laclip score`, without regenerating anything.
    static func refuseUnscored(job: Job, directory: URL) throws {
        var scored = 0
        for shard in job.shards {
            scored += try job.openShard(shard, readonly: true).fidelity().values.reduce(0) { $0 + $1.scored }
        }
        let done = try job.counts().total(.done)
        guard scored < done else { return }
        throw ExportError(
            .notReady,
            """
            \(done - scored) of \(done) rewrites have no fidelity score (they were made before laclip scored rewrites); \
            nothing was written. Score them first: laclip score --job \(directory.path)
            """)
    }

    private static func write(
        _ a: ShardAssembly, carry: DuplicateCarry, policy: MissingPolicy, checkImages: Bool,
        shortToOriginal: Bool, minFidelity: Float?, row: inout ExportRow, writer: ExportWriter,
        report: inout ExportReport
    ) throws {
        let styles = a.styleCount
        let first = a.shard.firstCaption
        let metadata = !a.metas.isEmpty
        try a.arena.withUnsafeBufferPointer { arena in
            try carry.arena.withUnsafeBufferPointer { carried in
                for i in 0..<a.captions.count {
                    let canonical = a.canonical[i]
                    let caption = a.captions[i].bytes(in: arena)
                    var missing = 0
                    // Where this row's rewrites live: its own slots, its canonical caption's slots
                    // in this shard, or the carry.
                    let fromCarry: DuplicateCarry.Carried?
                    let base: Int
                    if canonical < 0 {
                        fromCarry = nil
                        base = i * styles
                    } else if canonical >= first {
                        fromCarry = nil
                        base = Int(canonical - first) * styles
                    } else {
                        guard let entry = carry.carried(canonical) else {
                            throw ExportError(
                                .damaged,
                                "\(a.shard.file): caption \(first + Int64(i)) is a duplicate of caption \(canonical), which no shard holds"
                            )
                        }
                        fromCarry = entry
                        base = 0
                    }
                    for s in 0..<styles {
                        let ref: TextRef, meta: RewriteMeta?, source: UnsafeBufferPointer<UInt8>, score: Float
                        if let fromCarry {
                            ref = fromCarry.rewrites[s]
                            meta = metadata ? fromCarry.metas[s] : nil
                            score = fromCarry.fidelity[s]
                            source = carried
                        } else {
                            ref = a.rewrites[base + s]
                            meta = metadata ? a.metas[base + s] : nil
                            score = a.fidelity[base + s]
                            source = arena
                        }
                        row.fidelity[s] = .nan
                        if ref.isAbsent {
                            missing += 1
                            row.rewrites[s] = caption
                            row.filled[s] = true
                        } else if shortToOriginal, isUnderTwoWords(ref.bytes(in: source)) {
                            row.rewrites[s] = caption
                            row.filled[s] = true
                            report.shortRewritesReplaced += 1
                        } else if let minFidelity, score < minFidelity {
                            row.rewrites[s] = caption
                            row.filled[s] = true
                            report.lowFidelityReplaced += 1
                        } else {
                            row.rewrites[s] = ref.bytes(in: source)
                            row.filled[s] = false
                            row.fidelity[s] = score
                            if let meta {
                                row.metas[s] = ResolvedMeta(
                                    model: meta.model.isAbsent
                                        ? UnsafeBufferPointer(start: nil, count: 0) : meta.model.bytes(in: source),
                                    seed: meta.seed, promptTokens: meta.promptTokens,
                                    completionTokens: meta.completionTokens)
                            }
                        }
                    }
                    let key = a.keys[i]
                    row.key = key.isAbsent ? nil : key.bytes(in: arena)
                    row.sourceID = a.sourceIDs[i]
                    row.sourceRow = a.sourceRows[i]
                    if missing > 0 {
                        switch policy {
                        case .skip:
                            report.skippedRows += 1
                            try writer.skip(row)
                            continue
                        case .original:
                            report.filledWithOriginal += missing
                        case .fail:
                            throw ExportError(
                                .damaged,
                                "caption \(first + Int64(i)) lacks \(missing) rewrite(s) although every task was done when the export started; run it again"
                            )
                        }
                    }
                    let image = a.images[i]
                    row.image = image.isAbsent ? nil : image.bytes(in: arena)
                    if checkImages, !(row.image.map(LaCLIPFileNames.hasImageExtension) ?? false) {
                        report.nonImagePaths += 1
                    }
                    row.caption = caption
                    row.captionID = first + Int64(i)
                    row.sourceLine = a.sourceLines[i]
                    row.duplicateOf = canonical
                    row.index = report.rows
                    if canonical >= 0 { report.duplicateRows += 1 }
                    try writer.write(row)
                    report.rows += 1
                }
            }
        }
    }

    /// LaCLIP counts words as Python's `len(text.split(' '))`: fewer than 2 means no space at all.
    static func isUnderTwoWords(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        !text.contains(UInt8(ascii: " "))
    }
}
