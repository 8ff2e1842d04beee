import RewriteQueue

/// Rewrites of captions that have dedup'd duplicates in later shards. With `--dedup` a
/// duplicate has no tasks of its own: its rows take the rewrites of its canonical caption,
/// which can sit in any earlier shard. Shards are exported in order, so those captions'
/// rewrites are kept from their own shard until the last shard that refers to them is written.
/// Memory is bounded by the number of such captions, not by the job.
struct DuplicateCarry {
    struct Carried {
        var rewrites: [TextRef]
        var metas: [RewriteMeta]
        var fidelity: [Float]
    }

    /// Canonical caption -> the last caption (in a later shard) that refers to it.
    private var lastUse: [Int64: Int64] = [:]
    private(set) var arena: [UInt8] = []
    private var entries: [Int64: Carried] = [:]
    private var liveBytes = 0

    /// Finds every cross-shard duplicate reference. Jobs enqueued without `--dedup` have none and
    /// skip the scan.
    init(job: Job, dedup: Bool) throws {
        guard dedup else { return }
        for shard in job.shards {
            for (id, canonical) in try job.openShard(shard, readonly: true).canonicalReferences(
                before: shard.firstCaption)
            {
                lastUse[canonical] = max(lastUse[canonical] ?? id, id)
            }
        }
    }

    var isEmpty: Bool { lastUse.isEmpty }

    func carried(_ canonical: Int64) -> Carried? { entries[canonical] }

    /// Keeps, from a shard just written, the rewrites later shards will need.
    mutating func keep(from assembly: ShardAssembly) {
        guard !lastUse.isEmpty else { return }
        let first = assembly.shard.firstCaption
        let end = first + Int64(assembly.shard.captions)
        let styles = assembly.styleCount
        assembly.arena.withUnsafeBufferPointer { source in
            for canonical in lastUse.keys where canonical >= first && canonical < end {
                let base = Int(canonical - first) * styles
                var carried = Carried(rewrites: [], metas: [], fidelity: Array(assembly.fidelity[base..<base + styles]))
                for s in 0..<styles {
                    carried.rewrites.append(copy(assembly.rewrites[base + s], from: source))
                    if !assembly.metas.isEmpty {
                        var meta = assembly.metas[base + s]
                        meta.model = copy(meta.model, from: source)
                        carried.metas.append(meta)
                    }
                }
                entries[canonical] = carried
            }
        }
    }

    /// Forgets captions no row from `caption` on refers to, and compacts the arena when most of
    /// it is garbage.
    mutating func forget(before caption: Int64) {
        guard !entries.isEmpty else { return }
        for (canonical, last) in lastUse where last < caption {
            lastUse[canonical] = nil
            if let gone = entries.removeValue(forKey: canonical) {
                liveBytes -= gone.rewrites.reduce(0) { $0 + max(0, Int($1.length)) }
                liveBytes -= gone.metas.reduce(0) { $0 + max(0, Int($1.model.length)) }
            }
        }
        guard arena.count > 1 << 20, liveBytes < arena.count / 2 else { return }
        let old = arena
        arena = []
        liveBytes = 0
        old.withUnsafeBufferPointer { source in
            for (canonical, var carried) in entries {
                carried.rewrites = carried.rewrites.map { copy($0, from: source) }
                carried.metas = carried.metas.map {
                    var meta = $0
                    meta.model = copy(meta.model, from: source)
                    return meta
                }
                entries[canonical] = carried
            }
        }
    }

    private mutating func copy(_ ref: TextRef, from source: UnsafeBufferPointer<UInt8>) -> TextRef {
        guard !ref.isAbsent else { return .absent }
        let moved = TextRef(offset: arena.count, length: ref.length)
        arena.append(contentsOf: ref.bytes(in: source))
        liveBytes += Int(ref.length)
        return moved
    }
}
