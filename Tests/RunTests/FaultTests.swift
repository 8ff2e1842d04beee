import Foundation
import RewriteQueue
import TestSupport
import Testing

/// `laclip run` against a double that injects the faults a real server cannot be made to
/// produce on demand.
@Suite("run under injected faults", .serialized)
struct FaultTests {
    @Test func everyFaultIsRetriedAndTheJobCompletesWithBoundedAttempts() throws {
        let fixture = try JobFixture(captions: 10)
        let double = try FaultServerProcess()
        try double.plan(
            completion: [
                "500", "429", "slow:3", "reset", "truncated", "truncated_json", "malformed", "500", "429", "reset",
            ],
            health: ["loading", "loading", "loading"])
        let output = try Laclip.run([
            "run", "--job", fixture.job.path, "--server", double.url, "--concurrency", "2",
            "--request-timeout", "1", "--max-attempts", "3",
        ])
        #expect(output.status == 0, "\(output)")
        let tasks = try fixture.tasks()
        #expect(tasks.count == 40)
        #expect(tasks.allSatisfy { $0.state == .done })
        #expect(tasks.allSatisfy { $0.attempts <= 3 })
        let job = try fixture.open()
        for shard in job.shards {
            #expect(try job.openShard(shard, readonly: true).resultCount() == 40)
        }
    }

    @Test func aRequestTheServerRefusesIsDeadLetteredAtOnceAndRetryBringsItBack() throws {
        let fixture = try JobFixture(captions: 1)
        let double = try FaultServerProcess()
        // 400: the request itself is wrong, so retrying cannot help (and the endpoint stays in).
        try double.plan(completion: Array(repeating: "400", count: 4))
        let output = try Laclip.run(["run", "--job", fixture.job.path, "--server", double.url, "--concurrency", "1"])
        #expect(output.status == 0, "\(output)")
        let tasks = try fixture.tasks()
        #expect(tasks.allSatisfy { $0.state == .dead && $0.failures == 1 && $0.lastReason == "http_400" }, "\(tasks)")
        let retry = try Laclip.run(["retry", "--job", fixture.job.path, "--reason", "http_400"])
        #expect(retry.stdout.contains("requeued 4 dead tasks"), "\(retry)")
        let again = try Laclip.run(["run", "--job", fixture.job.path, "--server", double.url, "--concurrency", "1"])
        #expect(again.status == 0, "\(again)")
        #expect(try fixture.tasks().allSatisfy { $0.state == .done })
    }

    @Test func aServerThatGoesAwayPausesTheRunWithoutSpendingAttempts() throws {
        let fixture = try JobFixture(captions: 12)
        let double = try FaultServerProcess()
        try double.plan(completion: Array(repeating: "slow:0.2", count: 500))
        let child = try Laclip.start([
            "run", "--job", fixture.job.path, "--server", double.url, "--concurrency", "2",
            "--max-attempts", "2", "--request-timeout", "2",
        ])
        sleep(2)
        double.stop()
        sleep(4)
        try double.start()
        try double.plan(completion: Array(repeating: "slow:0.05", count: 500))
        let output = child.wait()
        #expect(output.status == 0, "\(output)")
        #expect(output.stderr.contains("every inference endpoint is down"), "\(output.stderr)")
        let tasks = try fixture.tasks()
        #expect(tasks.count == 48)
        #expect(tasks.allSatisfy { $0.state == .done }, "\(tasks.filter { $0.state != .done })")
    }

    @Test func ctrlCDrainsReleasesAndExits130() throws {
        let fixture = try JobFixture(captions: 30)
        let double = try FaultServerProcess()
        try double.plan(completion: Array(repeating: "slow:0.5", count: 500))
        let child = try Laclip.start(["run", "--job", fixture.job.path, "--server", double.url, "--concurrency", "4"])
        sleep(3)
        let interrupted = Date()
        child.signal(SIGINT)
        let output = child.wait()
        #expect(Date().timeIntervalSince(interrupted) < 8)
        #expect(output.status == 130, "\(output)")
        #expect(output.stdout.contains("interrupted:"))
        let tasks = try fixture.tasks()
        #expect(!tasks.contains { $0.state == .leased }, "in-flight tasks must be released")
        #expect(tasks.contains { $0.state == .done })
        #expect(tasks.contains { $0.state == .pending })
    }
}
