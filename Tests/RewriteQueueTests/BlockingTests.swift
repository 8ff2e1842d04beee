import Dispatch
import Foundation
import RewriteQueue
import Testing

@Suite("SQLite calls leave the cooperative pool free")
struct BlockingTests {
    /// Twice as many blocked calls as the pool has threads, each waiting for a task that can
    /// only run on the pool. Run on the pool itself, the calls would take every thread and
    /// nothing would release them: each would time out and report false.
    @Test func blockedCallsDoNotStallOtherTasks() async throws {
        let blocked = 2 * ProcessInfo.processInfo.activeProcessorCount
        let release = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        let released = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<blocked {
                group.addTask {
                    try await Blocking.run {
                        entered.signal()
                        return release.wait(timeout: .now() + 10) == .success
                    }
                }
            }
            group.addTask {
                // Waits on the pool (as a request's continuation would) for every call to block.
                for _ in 0..<blocked {
                    while entered.wait(timeout: .now()) != .success { await Task.yield() }
                }
                for _ in 0..<blocked { release.signal() }
                return true
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(released.count == blocked + 1)
        #expect(released.allSatisfy { $0 })
    }

    @Test func errorsReachTheCaller() async {
        struct Refused: Error {}
        await #expect(throws: Refused.self) { try await Blocking.run { throw Refused() } }
    }
}
