import Foundation
import RewriteQueue
import TestSupport
import Testing

/// A caption whose request kills its worker every time: each lost lease is an attempt
/// (`worker_lost`), so the task ends dead-lettered after `--max-attempts` instead of being
/// retried forever, and the tasks that happened to share its worker all finish.
@Suite("a task that kills its worker", .serialized)
struct PoisonTaskTests {
    @Test func isDeadLetteredAfterMaxAttemptsWhileEveryOtherTaskFinishes() throws {
        let fixture = try JobFixture(captions: 10, styles: ["coco"])
        // The fifth sample caption: its prompt never gets an answer.
        let poison = "a cup of cappuccino with latte art"
        let poisonID = try #require(try fixture.captionID(of: poison))
        let double = try FaultServerProcess()
        try double.plan(completion: [], poison: poison)

        var workers = 0
        var finished: ProcessOutput?
        while workers < 8 {
            let seen = try poisonSeen(double)
            let child = try Laclip.start([
                "run", "--job", fixture.job.path, "--server", double.url, "--concurrency", "3",
                "--max-attempts", "3",
            ])
            workers += 1
            // The worker "crashes" on the poison prompt: SIGKILL it once the double sees that
            // request, as if the request had taken the process down.
            let deadline = Date().addingTimeInterval(60)
            while child.isRunning, try poisonSeen(double) == seen, Date() < deadline { usleep(20_000) }
            if child.isRunning {
                child.signal(SIGKILL)
                _ = child.wait()
                continue
            }
            finished = child.wait()
            break
        }
        let output = try #require(finished, "a worker should finish once the poison task is dead-lettered")
        #expect(output.status == 0, "\(output)")
        #expect(workers == 4, "three workers die on the poison task, the fourth finishes")
        #expect(try poisonSeen(double) == 3)

        let tasks = try fixture.tasks()
        #expect(tasks.count == 10)
        let poisoned = tasks.filter { $0.id.caption == poisonID }
        #expect(poisoned.count == 1)
        #expect(
            poisoned.allSatisfy { $0.state == .dead && $0.failures == 3 && $0.lastReason == "worker_lost" },
            "\(poisoned)")
        #expect(tasks.filter { $0.id.caption != poisonID }.allSatisfy { $0.state == .done }, "\(tasks)")
        let job = try fixture.open()
        for shard in job.shards {
            let queue = try job.openShard(shard, readonly: true)
            #expect(try queue.counts() == queue.recount())
            // Only the poison task was charged more than once: the rest ran alone after a loss.
            let charges = Dictionary(
                grouping: try queue.failureLog().filter { $0.reason == "worker_lost" }, by: { $0.task })
            #expect(charges.filter { $0.value.count > 1 }.keys.map { $0.caption } == [poisonID])
        }

        // Visible in `laclip status` like any failure, and `laclip retry` brings it back.
        let status = try Laclip.run(["status", "--job", fixture.job.path, "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let failures = report["failures"] as? [String: Any]
        let reasons = (failures?["reasons"] as? [[String: Any]])?.compactMap { $0["reason"] as? String } ?? []
        #expect(reasons.contains("worker_lost"), "\(status.stdout)")
        let dead = (report["dead"] as? [String: Any])?["by_reason"] as? [[String: Any]]
        #expect(dead?.first?["reason"] as? String == "worker_lost", "\(status.stdout)")
        let retry = try Laclip.run(["retry", "--job", fixture.job.path, "--reason", "worker_lost"])
        #expect(retry.stdout.contains("requeued 1 dead task"), "\(retry)")
    }

    private func poisonSeen(_ double: FaultServerProcess) throws -> Int {
        try double.stats()["poison_seen"] as? Int ?? 0
    }
}
