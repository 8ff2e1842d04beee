import Foundation
import Synchronization

/// The persistent worker threads behind `parallelRanges`: a step runs several hundred parallel
/// regions, each a few hundred microseconds long, with short serial stretches in between.
///
/// A worker that has just finished a region keeps watching for the next one for a moment before
/// it sleeps (as OpenMP runtimes do), so back-to-back regions start without a wake-up. Dispatch's
/// workers park after every region; waking one costs 20-35 µs here, and the kernel tends to wake
/// it on the caller's own core, where it waits to be moved. Only the compute threads run: the
/// caller takes the first range and the workers the rest, so two threads on two cores never
/// compete with a third spinner (what OpenBLAS's own pool did).
///
/// One region at a time: a call made while another is running (a nested call, or a second
/// thread's) runs its ranges one after another on its own thread, with the same range bounds, so
/// its results are those of the parallel run.
final class ComputePool: Sendable {
    static let shared = ComputePool()

    /// Upper bound on worker threads (compute threads − 1): a region's range count, at most one
    /// more, has to fit the 8 bits `region` keeps for it.
    static let maximumWorkers = 254

    /// How long an idle worker watches for the next region before it sleeps, in loop turns
    /// (roughly 100 µs here: longer than the serial stretches between a step's regions).
    private static let watchTurns = 200_000

    /// Region number (high bits) and its range count (low 8 bits) in one word, so a worker reads
    /// both at once and can tell whether the region it sees is one it takes part in.
    private let region = Atomic<UInt64>(0)
    /// Workers of the current region that have not finished their range yet.
    private let unfinished = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let workers: [Worker]
    private let startLock = Mutex<Int>(0)

    /// The current region's work, written before `region` is published (release) and read by its
    /// workers after they load it (acquire); it is not replaced until every one has finished.
    nonisolated(unsafe) private var body: ((Range<Int>, Int) -> Void)?
    nonisolated(unsafe) private var count = 0

    private init() {
        workers = (0..<Self.maximumWorkers).map { _ in Worker() }
    }

    /// Runs `body` on `ranges` contiguous parts of `0..<count`, the caller taking part 0.
    func run(count: Int, ranges: Int, _ body: (_ range: Range<Int>, _ rangeIndex: Int) -> Void) {
        let ranges = min(ranges, Self.maximumWorkers + 1)
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for index in 0..<ranges { body(Self.part(index, of: ranges, count: count), index) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        startWorkers(ranges - 1)
        withoutActuallyEscaping(body) { body in
            self.body = body
            self.count = count
            unfinished.store(ranges - 1, ordering: .relaxed)
            let next = ((region.load(ordering: .relaxed) >> 8) + 1) << 8 | UInt64(ranges)
            region.store(next, ordering: .sequentiallyConsistent)
            for worker in workers[0..<(ranges - 1)]
            where worker.sleeping.exchange(false, ordering: .sequentiallyConsistent) {
                worker.wake.signal()
            }
            body(Self.part(0, of: ranges, count: count), 0)
            var turns = 0
            while unfinished.load(ordering: .acquiring) > 0 {
                // More compute threads than cores: let the workers have this one.
                turns += 1
                if turns % 256 == 0 { sched_yield() }
            }
            self.body = nil
        }
    }

    private static func part(_ index: Int, of ranges: Int, count: Int) -> Range<Int> {
        count * index / ranges..<count * (index + 1) / ranges
    }

    private func startWorkers(_ needed: Int) {
        startLock.withLock { started in
            // Called before the region is published, so a new worker waits for the next one
            // however late its thread starts.
            let seen = region.load(ordering: .relaxed) >> 8
            while started < needed {
                let index = started
                let thread = Thread { [self] in work(index, after: seen) }
                // The platform's usual 8 MB: a range's body may recurse into library code.
                thread.stackSize = 8 << 20
                thread.name = "laclip-compute-\(index + 1)"
                thread.start()
                started += 1
            }
        }
    }

    /// Worker `index` runs part `index + 1` of every region that has that many parts.
    private func work(_ index: Int, after first: UInt64) {
        let worker = workers[index]
        var seen = first
        while true {
            let current = awaitRegion(after: seen, worker: worker)
            seen = current >> 8
            let ranges = Int(current & 0xFF)
            guard index + 1 < ranges else { continue }
            runPart(index + 1, of: ranges)
            unfinished.subtract(1, ordering: .releasing)
        }
    }

    /// In a function of its own so that the worker's reference to the body is released before it
    /// reports the range done: the caller's `withoutActuallyEscaping` checks that none is left.
    @inline(never)
    private func runPart(_ index: Int, of ranges: Int) {
        body?(Self.part(index, of: ranges, count: count), index)
    }

    /// Watches for a region newer than `seen`, then sleeps until the caller of one wakes it.
    private func awaitRegion(after seen: UInt64, worker: Worker) -> UInt64 {
        var turns = 0
        while true {
            let current = region.load(ordering: .acquiring)
            if current >> 8 != seen { return current }
            turns += 1
            // With more compute threads than cores, a watching worker would hold a core another
            // needs for a whole time slice; a yield hands it over and costs nothing otherwise.
            if turns % 256 == 0 { sched_yield() }
            if turns < Self.watchTurns { continue }
            // Say so before the last look: a caller that publishes after this store sees the flag
            // and signals; one that published before it is seen by the load below.
            worker.sleeping.store(true, ordering: .sequentiallyConsistent)
            if region.load(ordering: .sequentiallyConsistent) >> 8 != seen {
                // Clear the flag; if a caller cleared it first, its signal is on the way: take it.
                if !worker.sleeping.exchange(false, ordering: .sequentiallyConsistent) { worker.wake.wait() }
            } else {
                worker.wake.wait()
            }
            turns = 0
        }
    }

    private final class Worker: Sendable {
        let sleeping = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
    }
}
