import Foundation
import Synchronization
import Testing

@testable import Tensor

// Serialized: the pool is process-wide, and these tests want it to themselves (one of them waits
// for its workers to fall asleep). A lost wake-up would hang the caller: the time limit makes
// that a failure.
@Suite(
    "Compute pool: every range runs once, nested and concurrent calls, sleeping workers", .serialized,
    .timeLimit(.minutes(1)))
struct ComputePoolTests {
    /// Runs one region and returns, per element of 0..<count, the range index that covered it
    /// (−1 where none did; a count above 1 where several did).
    static func coverage(count: Int, ranges: Int) -> (owner: [Int], visits: [Int]) {
        var owner = [Int](repeating: -1, count: count), visits = [Int](repeating: 0, count: count)
        owner.withUnsafeMutableBufferPointer { owner in
            visits.withUnsafeMutableBufferPointer { visits in
                nonisolated(unsafe) let owner = owner, visits = visits
                ComputePool.shared.run(count: count, ranges: ranges) { range, index in
                    for i in range {
                        owner[i] = index
                        visits[i] += 1
                    }
                }
            }
        }
        return (owner, visits)
    }

    @Test("each element once, in the range with the bounds count·i/ranges", arguments: [2, 3, 4, 7])
    func everyRangeOnce(ranges: Int) {
        for count in [ranges, 10, 1_000, 65_537] {
            let (owner, visits) = Self.coverage(count: count, ranges: ranges)
            #expect(visits.allSatisfy { $0 == 1 }, "count \(count)")
            for index in 0..<ranges {
                let bounds = count * index / ranges..<count * (index + 1) / ranges
                #expect(bounds.allSatisfy { owner[$0] == index }, "count \(count) range \(index)")
            }
        }
    }

    @Test("back-to-back regions of changing width (a worker left out of one takes part in the next)")
    func manyRegions() {
        let total = Atomic<Int>(0)
        for turn in 0..<20_000 {
            let ranges = 2 + turn % 3
            ComputePool.shared.run(count: 12, ranges: ranges) { range, _ in
                total.add(range.count, ordering: .relaxed)
            }
        }
        #expect(total.load(ordering: .relaxed) == 20_000 * 12)
    }

    @Test("a region after the workers have gone to sleep still runs on them")
    func afterSleep() throws {
        _ = Self.coverage(count: 100, ranges: 3)
        // Far past the workers' watch period, so both are asleep on their semaphores.
        Thread.sleep(forTimeInterval: 0.2)
        let caller = pthread_self()
        let threads = Mutex<[Int: pthread_t]>([:])
        ComputePool.shared.run(count: 3, ranges: 3) { _, index in
            threads.withLock { $0[index] = pthread_self() }
        }
        let seen = threads.withLock { $0 }
        #expect(seen.count == 3)
        #expect(seen[0] == caller)
        #expect(Set(seen.values).count == 3, "each range on a thread of its own")
    }

    @Test("a call made inside a region runs its ranges in order on its own thread")
    func nested() {
        let inner = Mutex<[[Int]]>([[], []])
        ComputePool.shared.run(count: 2, ranges: 2) { _, outer in
            let thread = Thread.current
            ComputePool.shared.run(count: 6, ranges: 3) { range, index in
                #expect(Thread.current == thread)
                inner.withLock { $0[outer].append(index * 100 + range.lowerBound) }
            }
        }
        #expect(inner.withLock { $0 } == [[0, 102, 204], [0, 102, 204]])
    }

    @Test("calls from several threads at once: each gets all of its ranges")
    func concurrentCallers() async {
        let sums = await withTaskGroup(of: Int.self) { group in
            for caller in 0..<4 {
                group.addTask {
                    let total = Atomic<Int>(0)
                    for _ in 0..<2_000 {
                        ComputePool.shared.run(count: 100 + caller, ranges: 2) { range, _ in
                            total.add(range.count, ordering: .relaxed)
                        }
                    }
                    return total.load(ordering: .relaxed) - 2_000 * (100 + caller)
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(sums == [0, 0, 0, 0])
    }
}
