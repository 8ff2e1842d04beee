import Foundation
import RewriteQueue
import Seeding
import TestSupport
import Testing

/// SIGKILL at random moments, with real processes and real files.
@Suite("crash safety", .serialized)
struct CrashTests {
    @Test(arguments: [11, 12, 13, 14, 15, 16, 17, 18] as [UInt64])
    func killedEnqueueLeavesNoJobOrACompleteOne(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let dir = try TemporaryDirectory("laclip-kill-enqueue")
        let rows = 30_000
        let file = try dir.write("data.csv", CaptionFactory.laclipCSV(count: rows))
        // Time an uninterrupted run, then kill at a random moment across that span (and a
        // little past it), so the kills cover every phase on any machine speed.
        let started = Date()
        #expect(
            try Laclip.run("enqueue", file.path, "--job", dir.path("reference").path, "--shard-size", "10000").status
                == 0)
        let span = Date().timeIntervalSince(started)
        let job = dir.path("job")
        let child = try Laclip.start(["enqueue", file.path, "--job", job.path, "--shard-size", "10000"])
        usleep(UInt32(span * 1e6 * Double.random(in: 0.02...1.6, using: &rng)))
        child.signal(SIGKILL)
        _ = child.wait()

        let committed = FileManager.default.fileExists(atPath: job.appendingPathComponent("job.sqlite").path)
        print("enqueue kill test, seed \(seed): killed \(committed ? "after" : "before") the commit point")
        if committed {
            // Killed after the commit point: the job must be whole.
            let opened = try Job(directory: job, readonly: true)
            #expect(try opened.counts().total(.pending) == rows * opened.styles.count)
            #expect(try opened.manifest.sources().first?.captions == rows)
        } else {
            let info = try Laclip.run("info", "--job", job.path)
            #expect(info.status != 0)
            #expect(info.stderr.contains("no job here"))
        }
        let redo = try Laclip.run("enqueue", file.path, "--job", job.path, "--shard-size", "10000", "--force")
        #expect(redo.status == 0, "\(redo)")
        let opened = try Job(directory: job, readonly: true)
        #expect(try opened.counts().total(.pending) == rows * opened.styles.count)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "abandoned staging folders: \(leftovers)")
    }

    @Test(arguments: [21, 22, 23] as [UInt64])
    func killedClaimCompleteLoopEndsWithEveryTaskDoneExactlyOnce(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let dir = try TemporaryDirectory("laclip-kill-queue")
        let file = try dir.write("data.csv", CaptionFactory.laclipCSV(count: 3_000))
        let job = dir.path("job")
        #expect(try Laclip.run("enqueue", file.path, "--job", job.path, "--shard-size", "1000").status == 0)
        let log = dir.path("accepted.log")
        let worker = RepositoryPaths.executable("queue-crash-worker")

        var kills = 0
        var finished = false
        for _ in 0..<200 {
            let child = try ProcessRunner.start(worker, [job.path, log.path])
            usleep(UInt32.random(in: 10_000...150_000, using: &rng))
            if child.isRunning {
                child.signal(SIGKILL)
                kills += 1
            }
            let output = child.wait()
            if output.status == 0 && output.stdout.contains("drained") {
                finished = true
                break
            }
        }
        if !finished {
            // A loaded machine makes each life short of work, so 200 lives may not be enough: a
            // last one, not killed, must still find every task in a state it can finish.
            let output = try ProcessRunner.start(worker, [job.path, log.path]).wait()
            finished = output.status == 0 && output.stdout.contains("drained")
        }
        print("queue kill test, seed \(seed): \(kills) SIGKILLs before the job drained")
        #expect(finished)
        #expect(kills >= 5, "the worker finished before it could be killed enough times (\(kills))")

        let opened = try Job(directory: job, readonly: true)
        let total = 3_000 * opened.styles.count
        #expect(try opened.counts().total(.done) == total)
        var results = 0
        for shard in opened.shards {
            let queue = try opened.openShard(shard, readonly: true)
            results += try queue.resultCount()
            #expect(try queue.counts() == queue.recount())
        }
        #expect(results == total)
        // Every acceptance logged after its commit appears once: no task was accepted twice.
        let accepted = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        #expect(Set(accepted).count == accepted.count)
        #expect(accepted.count <= total)
    }
}
