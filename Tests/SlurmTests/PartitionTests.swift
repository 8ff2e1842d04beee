import Foundation
import RewriteQueue
import Scheduler
import TestSupport
import Testing

@Suite("partitions: which array task works which shards")
struct PartitionTests {
    @Test(arguments: [1, 2, 3, 4, 5, 7, 12, 13, 40])
    func everyShardHasExactlyOnePartition(_ count: Int) {
        for shards in [1, 4, 7, 12, 100] {
            var owners = [Int](repeating: 0, count: shards)
            for index in 0..<count {
                let partition = Partition(index: index, count: count)!
                let owned = (0..<shards).filter { partition.owns(shard: $0) }
                for shard in owned { owners[shard] += 1 }
                // Round-robin: partitions differ by at most one shard, so N nodes finish together.
                #expect(owned.count == shards / count || owned.count == shards / count + 1)
            }
            #expect(owners.allSatisfy { $0 == 1 }, "\(shards) shards over \(count) partitions: \(owners)")
        }
    }

    @Test func parsesIOfNAndRefusesEverythingElse() {
        #expect(Partition("1/3") == Partition(index: 1, count: 3))
        #expect(Partition("0/1") == .all)
        #expect(Partition("1/3")?.description == "1/3")
        for bad in ["3/3", "-1/3", "1/0", "1/", "/3", "1/3/5", "a/b", "1", "", " 1/3"] {
            #expect(Partition(bad) == nil, "accepted \(bad)")
        }
        #expect(Partition.every(of: 3).map(\.description) == ["0/3", "1/3", "2/3"])
    }

    @Test func morePartitionsThanShardsLeavesTheExtraOnesEmpty() {
        let owned = (0..<6).map { index in (0..<4).filter { Partition(index: index, count: 6)!.owns(shard: $0) } }
        #expect(owned == [[0], [1], [2], [3], [], []])
    }

    @Test func theAssignmentOfAShardNeverDependsOnTheOtherShards() {
        // Stable: the same shard id maps to the same partition whether the job has 5 shards or
        // 5,000 (an appended source must not move shards between array tasks).
        for id in 0..<50 {
            let partitions = (1...9).map { count in
                (0..<count).filter { Partition(index: $0, count: count)!.owns(shard: id) }
            }
            #expect(partitions.map(\.count) == Array(repeating: 1, count: 9))
            #expect(partitions.enumerated().allSatisfy { $0.element == [id % ($0.offset + 1)] })
        }
    }

    @Test func theShardsOfARealJobSplitWithoutOverlap() throws {
        let dir = try TemporaryDirectory("laclip-partition")
        let job = try FinishedPartitionTests.enqueue(in: dir, captions: 30, shards: 7)
        for count in [1, 2, 3, 7, 10] {
            let split = (0..<count).map { index in
                job.shards.filter { Partition(index: index, count: count)!.owns(shard: $0.id) }.map(\.id)
            }
            #expect(split.flatMap { $0 }.sorted() == job.shards.map(\.id))
            #expect(split.reduce(0) { $0 + $1.count } == job.shards.count)
        }
    }
}

@Suite("partitions: a re-submitted finished array task")
struct FinishedPartitionTests {
    static func enqueue(in dir: TemporaryDirectory, captions: Int, shards: Int) throws -> Job {
        let csv = try dir.write("captions.csv", CaptionFactory.laclipCSV(count: captions))
        let output = try ProcessRunner.run(
            RepositoryPaths.laclip, ["enqueue", csv.path, "--job", dir.path("job").path, "--shards", "\(shards)"],
            environment: [
                "LACLIP_META_PAIRS": RepositoryPaths.metaPairs.path,
                "LACLIP_PROMPTS": RepositoryPaths.prompts.path,
            ])
        #expect(output.status == 0, "\(output)")
        return try Job(directory: dir.path("job"))
    }

    /// Completes every task of `shard` the way a worker would: claim under a lease, store a result.
    static func finish(_ shard: ShardRecord, of job: Job) throws {
        let queue = try job.openShard(shard)
        while case let claimed = try queue.claim(limit: 64, owner: "test", leaseMillis: 60_000), !claimed.isEmpty {
            let results = claimed.map {
                TaskResult(
                    task: $0, text: "rewritten \($0.caption)", model: "test", seed: 1, promptTokens: 10,
                    completionTokens: 5, latencyMs: 1, finishReason: "stop")
            }
            #expect(try queue.complete(results, worker: "test").count == claimed.count)
        }
    }

    struct ShardSnapshot: Equatable {
        var counts: StateCounts
        var resultRows: Int
        var attempts: Int
    }

    static func snapshot(_ shard: ShardRecord, of job: Job) throws -> ShardSnapshot {
        let counts = try job.openShard(shard, readonly: true).counts()
        let sums = try ProcessRunner.python(
            """
            import sqlite3, sys
            db = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)
            print(db.execute('SELECT count(*) FROM results').fetchone()[0], db.execute('SELECT sum(attempts) FROM tasks').fetchone()[0])
            """, [job.layout.shard(named: shard.file).path])
        let numbers = sums.stdout.split(separator: " ").compactMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(numbers.count == 2, "\(sums)")
        return ShardSnapshot(counts: counts, resultRows: numbers.first ?? -1, attempts: numbers.last ?? -1)
    }

    @Test func finishedPartitionExitsZeroAtOnceWithoutAServer() throws {
        let dir = try TemporaryDirectory("laclip-finished-partition")
        let job = try Self.enqueue(in: dir, captions: 12, shards: 4)
        // Partition 1/3 owns shard 1 alone; finish it, leave the others pending.
        let mine = job.shards(in: try #require(Partition("1/3")))
        #expect(mine.map(\.id) == [1])
        for shard in mine { try Self.finish(shard, of: job) }
        let before = try job.shards.map { try Self.snapshot($0, of: job) }
        #expect(
            before[1].counts.total(.done) == before[1].counts.total && before[1].resultRows == before[1].counts.total)

        // Nothing listens on port 9 (discard): a run that needed the server would fail or wait.
        let started = Date()
        let run = try ProcessRunner.start(
            RepositoryPaths.laclip,
            [
                "run", "--job", dir.path("job").path, "--server", "http://127.0.0.1:9", "--partition", "1/3",
            ])
        let (output, timedOut) = run.wait(killAfter: 30)
        let seconds = Date().timeIntervalSince(started)
        #expect(
            !timedOut,
            "a finished partition still running after 30 s (it waits for a server it does not need)\n\(output)")
        #expect(output.status == 0, "\(output)")
        #expect(seconds < 20, "took \(seconds) s")
        #expect(
            try job.shards.map { try Self.snapshot($0, of: job) } == before, "a finished partition changed a shard file"
        )
    }

    @Test func partitionWithoutShardsExitsZeroAtOnce() throws {
        let dir = try TemporaryDirectory("laclip-empty-partition")
        _ = try Self.enqueue(in: dir, captions: 8, shards: 2)
        let run = try ProcessRunner.start(
            RepositoryPaths.laclip,
            [
                "run", "--job", dir.path("job").path, "--server", "http://127.0.0.1:9", "--partition", "4/5",
            ])
        let (output, timedOut) = run.wait(killAfter: 30)
        #expect(!timedOut && output.status == 0, "\(output)")
    }
}
