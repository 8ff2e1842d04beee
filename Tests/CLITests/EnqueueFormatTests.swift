import Foundation
import RewriteQueue
import TestSupport
import Testing

/// `laclip enqueue` end to end, one dataset layout per test: the real binary, real files.
@Suite("enqueue: formats")
struct EnqueueFormatTests {
    func enqueue(_ name: String, _ content: String, _ extra: [String] = []) throws -> (
        TemporaryDirectory, Job, ProcessOutput
    ) {
        let dir = try TemporaryDirectory("laclip-cli")
        let file = try dir.write(name, content)
        let output = try Laclip.run(["enqueue", file.path, "--job", dir.path("job").path] + extra)
        #expect(output.status == 0, "\(output)")
        return (dir, try Job(directory: dir.path("job"), readonly: true), output)
    }

    func captions(_ job: Job) throws -> [StoredCaption] {
        var all: [StoredCaption] = []
        for shard in job.shards {
            let queue = try job.openShard(shard, readonly: true)
            for id in shard.firstCaption..<(shard.firstCaption + Int64(shard.captions)) {
                all.append(try #require(try queue.caption(id)))
            }
        }
        return all
    }

    @Test func laclipTrainingCSV() throws {
        let (dir, job, output) = try enqueue(
            "train.csv", "img/1.jpg,person walking a dog .\nimg/2.jpg,\"city, at night\"\n")
        let stored = try captions(job)
        #expect(stored.map(\.text) == ["person walking a dog .", "city, at night"])
        #expect(stored.map(\.image) == ["img/1.jpg", "img/2.jpg"])
        #expect(try job.counts().total(.pending) == 8)
        #expect(output.stdout.contains("decided: csv"))
        _ = dir
    }

    @Test func openClipCSVWithNamedColumns() throws {
        let (dir, job, _) = try enqueue(
            "oc.csv", "title,filepath,extra\nperson on a boat,a/1.jpg,x\nred car,a/2.jpg,y\n",
            ["--caption-column", "title", "--image-column", "filepath"])
        let stored = try captions(job)
        #expect(stored.map(\.text) == ["person on a boat", "red car"])
        #expect(stored.map(\.image) == ["a/1.jpg", "a/2.jpg"])
        _ = dir
    }

    @Test func openClipTSVWithHeader() throws {
        let (dir, job, _) = try enqueue(
            "oc.tsv", "filepath\ttitle\nb/1.jpg\ta cat on a sofa\nb/2.jpg\tsnowy mountain peak\n")
        #expect(try captions(job).map(\.text) == ["a cat on a sofa", "snowy mountain peak"])
        _ = dir
    }

    @Test func cc3mStyleTSVEitherOrder() throws {
        let (dir1, job1, _) = try enqueue(
            "cc3m.tsv", "actor attends the premiere\thttp://x.com/1.jpg\nbeach at dawn\thttp://x.com/2.jpg\n")
        #expect(try captions(job1).map(\.text) == ["actor attends the premiere", "beach at dawn"])
        #expect(try captions(job1).map(\.image) == ["http://x.com/1.jpg", "http://x.com/2.jpg"])
        let (dir2, job2, _) = try enqueue("cc12m.tsv", "http://x.com/1.jpg\tactor attends the premiere\n")
        #expect(try captions(job2).map(\.text) == ["actor attends the premiere"])
        #expect(try captions(job2).map(\.image) == ["http://x.com/1.jpg"])
        _ = (dir1, dir2)
    }

    @Test func jsonlWithSelectableKey() throws {
        let (dir, job, _) = try enqueue(
            "d.jsonl",
            "{\"text\": \"a dog\", \"alt\": \"dog running\", \"image\": \"1.jpg\"}\n{\"text\": \"x\", \"alt\": \"cat sleeping\", \"image\": \"2.jpg\"}\n",
            ["--caption-column", "alt"])
        #expect(try captions(job).map(\.text) == ["dog running", "cat sleeping"])
        #expect(try captions(job).map(\.image) == ["1.jpg", "2.jpg"])
        _ = dir
    }

    @Test func plainTextOneCaptionPerLine() throws {
        let (dir, job, _) = try enqueue("c.txt", "person riding a bike\r\nvintage car on display\r\n\r\n")
        #expect(try captions(job).map(\.text) == ["person riding a bike", "vintage car on display"])
        #expect(try captions(job).map(\.image) == [nil, nil])
        _ = dir
    }

    @Test func nastyCSVQuotesNewlinesBOMAndCRLF() throws {
        let csv = "\u{FEFF}a.jpg,\"she said \"\"hi\"\", then left\"\r\nb.jpg,\"two\r\nlines\"\r\nc.jpg,plain\r\n\r\n"
        let (dir, job, _) = try enqueue("nasty.csv", csv)
        let stored = try captions(job)
        #expect(stored.map(\.text) == ["she said \"hi\", then left", "two\r\nlines", "plain"])
        #expect(stored.map(\.image) == ["a.jpg", "b.jpg", "c.jpg"])
        #expect(stored.map(\.line) == [1, 2, 4])
        _ = dir
    }
}
