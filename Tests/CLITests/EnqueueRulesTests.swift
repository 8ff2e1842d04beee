import Foundation
import RewriteQueue
import TestSupport
import Testing

@Suite("enqueue: bad rows, sharding, append, force, dedup")
struct EnqueueRulesTests {
    struct BadCase: Sendable, CustomStringConvertible {
        let name: String
        let bytes: [UInt8]
        let line: Int
        let reason: String
        var description: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(
            name: "unbalanced quote", bytes: Array("a.jpg,ok\nb.jpg,\"never closed\nc.jpg,x\n".utf8), line: 2,
            reason: "quote"),
        BadCase(
            name: "missing column", bytes: Array("a.jpg,ok\nb.jpg,fine\nonly-one-field\n".utf8), line: 3,
            reason: "column"),
        BadCase(
            name: "invalid UTF-8", bytes: Array("a.jpg,ok\n".utf8) + Array("b.jpg,".utf8) + [0xff, 0xfe, 0x0a], line: 2,
            reason: "UTF-8"),
        BadCase(name: "empty caption", bytes: Array("a.jpg,ok\nb.jpg,   \n".utf8), line: 2, reason: "empty"),
        BadCase(
            name: "caption too long",
            bytes: Array(("a.jpg,ok\nb.jpg,ok\nc.jpg," + String(repeating: "word ", count: 300) + "\n").utf8), line: 3,
            reason: "long"),
        BadCase(
            name: "NUL byte", bytes: Array("a.jpg,ok\n".utf8) + Array("b.jpg,a".utf8) + [0x00, 0x62, 0x0a], line: 2,
            reason: "NUL"),
    ]

    @Test(arguments: badCases)
    func badRowFailsWithFileLineReasonAndCreatesNothing(_ bad: BadCase) throws {
        let dir = try TemporaryDirectory("laclip-bad")
        let file = try dir.write("data.csv", bytes: bad.bytes)
        let output = try Laclip.run("enqueue", file.path, "--job", dir.path("job").path)
        #expect(output.status != 0)
        #expect(output.stderr.contains("\(file.path):\(bad.line): "), "\(output)")
        #expect(output.stderr.localizedCaseInsensitiveContains(bad.reason), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("job").path))
    }

    @Test func skipRecordsEveryBadRowAndInfoShowsThem() throws {
        let dir = try TemporaryDirectory("laclip-skip")
        let file = try dir.write(
            "data.csv",
            bytes: Array("a.jpg,good one\nb.jpg,   \nc.jpg,good two\n".utf8) + Array("d.jpg,".utf8) + [0xff, 0x0a]
                + Array("e.jpg,good three\n".utf8))
        let job = dir.path("job").path
        let output = try Laclip.run("enqueue", file.path, "--job", job, "--on-bad-row", "skip")
        #expect(output.status == 0, "\(output)")
        #expect(output.stdout.contains("skipped 2 bad rows"))
        #expect(output.stdout.contains("laclip info --job \(job)"))
        let info = try Laclip.run("info", "--job", job, "--bad-rows")
        #expect(info.stdout.contains("\(file.path):2: "))
        #expect(info.stdout.contains("\(file.path):4: "))
        let opened = try Job(directory: dir.path("job"), readonly: true)
        #expect(try opened.manifest.badRows().map(\.line) == [2, 4])
        #expect(try opened.counts().total == 3 * opened.styles.count)
    }

    @Test func sourceOrderSurvivesSharding() throws {
        let dir = try TemporaryDirectory("laclip-shards")
        let file = try dir.write("data.csv", CaptionFactory.laclipCSV(count: 1_000))
        let output = try Laclip.run("enqueue", file.path, "--job", dir.path("job").path, "--shards", "7")
        #expect(output.status == 0, "\(output)")
        let job = try Job(directory: dir.path("job"), readonly: true)
        #expect(job.shards.count == 7)
        var expected: Int64 = 0
        for shard in job.shards {
            #expect(shard.firstCaption == expected)
            let queue = try job.openShard(shard, readonly: true)
            try queue.forEachCaption { id, text, _ in
                #expect(id == expected)
                #expect(text == CaptionFactory.caption(Int(id)))
                expected += 1
            }
        }
        #expect(expected == 1_000)
        let sized = try Laclip.run("enqueue", file.path, "--job", dir.path("job2").path, "--shard-size", "300")
        #expect(sized.status == 0)
        #expect(try Job(directory: dir.path("job2"), readonly: true).shards.map(\.captions) == [300, 300, 300, 100])
    }

    @Test func appendAndForceRules() throws {
        let dir = try TemporaryDirectory("laclip-append")
        let first = try dir.write("a.csv", "1.jpg,first caption here\n2.jpg,second caption here\n")
        let second = try dir.write("b.csv", "3.jpg,third caption here\n")
        let job = dir.path("job").path
        #expect(try Laclip.run("enqueue", first.path, "--job", job, "--seed", "5").status == 0)

        let refused = try Laclip.run("enqueue", second.path, "--job", job)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--append"))

        #expect(try Laclip.run("enqueue", second.path, "--job", job, "--append").status == 0)
        let again = try Laclip.run("enqueue", second.path, "--job", job, "--append")
        #expect(again.status != 0)
        #expect(again.stderr.contains("already in this job"))

        var opened = try Job(directory: dir.path("job"), readonly: true)
        #expect(try opened.manifest.sources().count == 2)
        #expect(opened.shards.map(\.firstCaption) == [0, 2])
        #expect(try opened.counts().total == 3 * opened.styles.count)
        #expect(try opened.definition.configuration.seed == 5)

        let forced = try Laclip.run("enqueue", second.path, "--job", job, "--force")
        #expect(forced.status == 0, "\(forced)")
        opened = try Job(directory: dir.path("job"), readonly: true)
        #expect(try opened.manifest.sources().map(\.path) == [second.path])
        #expect(try opened.counts().total == opened.styles.count)
    }

    @Test func dedupSharesTasksAndCountsDuplicates() throws {
        let dir = try TemporaryDirectory("laclip-dedup")
        let csv = "1.jpg,a red car\n2.jpg,a  red car \n3.jpg,a blue car\n4.jpg,a red car\n5.jpg,A red car\n"
        let file = try dir.write("d.csv", csv)
        let plain = try Laclip.run("enqueue", file.path, "--job", dir.path("plain").path, "--styles", "chatgpt,human")
        #expect(plain.status == 0, "\(plain)")
        #expect(plain.stdout.contains("duplicates: 2 of 5 captions (40.0%)"), "\(plain.stdout)")
        #expect(try Job(directory: dir.path("plain"), readonly: true).counts().total == 10)

        let dedup = try Laclip.run(
            "enqueue", file.path, "--job", dir.path("dedup").path, "--styles", "chatgpt,human", "--dedup")
        #expect(dedup.status == 0, "\(dedup)")
        let job = try Job(directory: dir.path("dedup"), readonly: true)
        #expect(try job.counts().total == 6)
        let queue = try job.openShard(job.shards[0], readonly: true)
        #expect(try queue.caption(1)?.canonicalID == 0)
        #expect(try queue.caption(3)?.canonicalID == 0)
        #expect(try queue.caption(4)?.canonicalID == nil)
        #expect(try queue.tasks(ofCaption: 1).isEmpty)
        #expect(try queue.tasks(ofCaption: 0).count == 2)
    }
}
