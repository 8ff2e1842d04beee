import Foundation
import Prefetch
import Synchronization
import Testing

@Suite struct PrefetcherTests {
    @Test func handsOutEveryElementInOrderThenTheEnd() throws {
        let prefetcher = Prefetcher(depth: 3, name: "test-prefetch") { index in index < 50 ? index * 7 : nil }
        var seen: [Int] = []
        while let element = try prefetcher.next() { seen.append(element) }
        #expect(seen == (0..<50).map { $0 * 7 })
        #expect(try prefetcher.next() == nil, "the end is reported again")
    }

    @Test func buildsAtMostDepthAhead() throws {
        let built = Mutex(0)
        let prefetcher = Prefetcher(depth: 2, name: "test-prefetch") { index in
            built.withLock { $0 = max($0, index + 1) }
            return index
        }
        _ = try prefetcher.next()
        Thread.sleep(forTimeInterval: 0.2)
        // One handed out, two ahead of the consumer.
        #expect(built.withLock { $0 } == 3)
        prefetcher.cancel()
    }

    @Test func aFailureIsTheLastElementAndIsRethrownEachTime() throws {
        struct Broken: Error {}
        let prefetcher = Prefetcher(depth: 2, name: "test-prefetch") { index -> Int? in
            if index == 2 { throw Broken() }
            return index
        }
        #expect(try prefetcher.next() == 0)
        #expect(try prefetcher.next() == 1)
        #expect(throws: Broken.self) { try prefetcher.next() }
        #expect(throws: Broken.self) { try prefetcher.next() }
    }

    /// A consumer that stops early, with the building thread parked on a full buffer, releases
    /// the prefetcher while its semaphore of free places is below the depth it started at.
    /// libdispatch traps (SIGILL) on releasing a semaphore below its initial value, which
    /// ended the whole test process before the semaphore was created at 0 and raised.
    @Test(arguments: [1, 2, 4])
    func releasingAfterAnEarlyStopDoesNotTrap(depth: Int) throws {
        for _ in 0..<20 {
            var prefetcher: Prefetcher<Int>? = Prefetcher(depth: depth, name: "test-prefetch") { $0 }
            #expect(try prefetcher?.next() == 0)
            Thread.sleep(forTimeInterval: 0.01)
            prefetcher = nil
        }
        // Let the building threads see the cancel and release the shared semaphores.
        Thread.sleep(forTimeInterval: 0.2)
    }
}
