import Foundation
import RewriteQueue
import TestSupport
import Testing

/// `--concurrency auto` against a double with 4 slots that answers at a fixed rate: whatever
/// the tuner tries, it never keeps fewer requests out than the server has slots. It holds a
/// request or two waiting on the server: read from `/metrics` where the server has it, one
/// beyond the slots where it does not.
@Suite("concurrency auto keeps every slot busy", .serialized)
struct AutoConcurrencyTests {
    @Test(arguments: [false, true])
    func neverBelowTheSlotCount(serverReportsItsQueue: Bool) throws {
        let fixture = try JobFixture(captions: 160, styles: ["coco"])
        let double = try FaultServerProcess(
            arguments: ["--slots", "4", "--service", "0.15", "--jitter", "0.5"]
                + (serverReportsItsQueue ? ["--metrics"] : []))
        let output = try Laclip.run(["run", "--job", fixture.job.path, "--server", double.url, "--concurrency", "auto"])
        #expect(output.status == 0, "\(output)")
        #expect(try fixture.tasks().allSatisfy { $0.state == .done })

        // Every level the run chose, from its log: it starts one above the slots and never goes
        // under them; blind to the server's queue, never under one waiting either.
        #expect(output.stderr.contains("4 server slot(s), concurrency auto from 5"), "\(output.stderr)")
        let levels = Self.levels(in: output.stderr)
        #expect(levels.allSatisfy { $0 >= (serverReportsItsQueue ? 4 : 5) }, "levels \(levels)")

        // What the server saw: at most completions, at least 4 requests were in it. The last
        // ones are the end of the job; others land while the client is storing an answer and
        // sending the next request (milliseconds, but on a busy 2-core machine not always).
        let stats = try double.stats()
        let seen = try #require(stats["in_flight_at_completion"] as? [Int])
        #expect(seen.count == 160)
        let steady = seen.dropLast(4)
        let full = steady.filter { $0 >= 4 }.count
        #expect(Double(full) >= 0.75 * Double(steady.count), "in flight at completions: \(seen)")
        if serverReportsItsQueue {
            // It read the queue and kept requests waiting on the server.
            #expect(levels.contains { $0 > 4 }, "levels \(levels)\n\(output.stderr)")
            #expect(output.stderr.contains("server queue:"), "\(output.stderr)")
        }
    }

    /// The levels of the run's "concurrency N: why" log lines, in order.
    static func levels(in log: String) -> [Int] {
        log.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "concurrency ") else { return nil }
            let rest = line[range.upperBound...]
            guard let colon = rest.firstIndex(of: ":") else { return nil }
            return Int(rest[..<colon])
        }
    }
}
