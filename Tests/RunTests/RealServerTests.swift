import Foundation
import Inference
import Prompting
import RewriteQueue
import Seeding
import TestSupport
import Testing

/// `laclip run` against the real llama-server serving SmolLM2-135M.
@Suite("run against the real llama-server", .serialized)
final class RealServerTests {
    let server: LlamaServerProcess

    init() throws { server = try LlamaServerProcess(slots: 4) }

    @Test func everyTaskEndsDoneWithAValidRewriteAndThePapersDecoding() throws {
        let fixture = try JobFixture(captions: 8)
        let output = try Laclip.run(["run", "--job", fixture.job.path, "--server", server.url, "--concurrency", "4"])
        #expect(output.status == 0, "\(output)")
        #expect(output.stdout.contains("finished: 32 rewrites done"), "\(output.stdout)")

        let job = try fixture.open()
        #expect(try job.counts().total(.done) == 32)
        let sources = try Dictionary(
            uniqueKeysWithValues: job.styles.map {
                ($0.index, try MetaPairSource.parse(name: $0.name, text: $0.metaPairs, file: $0.metaPairsFile))
            })
        let validator = CompletionValidator()
        for shard in job.shards {
            let queue = try job.openShard(shard, readonly: true)
            for task in try queue.allTasks() {
                let caption = try #require(try queue.caption(task.id.caption))
                let source = try #require(sources[task.id.style])
                let outputs = demonstrations(of: DemonstrationDraw(packed: task.draw), in: source).map(\.output)
                let text = try #require(task.resultText)
                #expect(
                    (try? validator.validate(text, input: caption.text, demonstrationOutputs: outputs).get()) == text,
                    "stored rewrite fails validation: \(text)")
            }
        }
        // The run recorded what it sent and what the server says it sampled with.
        let runs = try JobManifest(layout: job.layout).runs()
        let run = try #require(runs.last)
        let decoding = try JSONSerialization.jsonObject(with: Data(run.decoding.utf8)) as? [String: Any]
        #expect(decoding?["temperature"] as? Double == 0.9)
        #expect(decoding?["top_p"] as? Double == 0.95)
        #expect(decoding?["max_tokens"] as? Int == 77)
        let echoed = try JSONDecoder().decode(
            EchoedSamplingSettings.self, from: Data(try #require(run.serverSettings).utf8))
        #expect(echoed.matchesPaper(), "server applied \(echoed)")
        #expect(echoed.topK.map { $0 <= 0 } ?? false)
        #expect(echoed.minP == 0)
    }

    @Test func killedRunsLoseNothingAndDuplicateNothing() throws {
        let fixture = try JobFixture(captions: 12)
        var rng = SeededGenerator(seed: 99)
        var kills = 0
        var finished: [String: String] = [:]
        for round in 0..<40 {
            // Each kill costs the tasks in flight an attempt (`worker_lost`): a budget above the
            // kills keeps this test about losing and duplicating nothing.
            let child = try Laclip.start([
                "run", "--job", fixture.job.path, "--server", server.url, "--concurrency", "4",
                "--max-attempts", "100",
            ])
            if round < 12 {
                usleep(UInt32.random(in: 300_000...2_500_000, using: &rng))
                if child.isRunning {
                    child.signal(SIGKILL)
                    kills += 1
                }
            }
            let output = child.wait()
            // Whatever was finished before the kill is still there, unchanged.
            for task in try fixture.tasks() where task.state == .done {
                let key = "\(task.id)"
                if let earlier = finished[key] { #expect(earlier == task.resultText, "result of \(key) changed") }
                finished[key] = task.resultText
            }
            if output.status == 0 && output.stdout.contains("finished") { break }
        }
        print("run kill test: \(kills) SIGKILLs")
        #expect(kills >= 10)
        let tasks = try fixture.tasks()
        #expect(tasks.count == 48)
        #expect(tasks.allSatisfy { $0.state == .done && $0.resultText != nil })
        let job = try fixture.open()
        for shard in job.shards {
            let queue = try job.openShard(shard, readonly: true)
            #expect(try queue.resultCount() == queue.counts().total(.done))
            #expect(try queue.counts() == queue.recount())
        }
    }

    @Test func twoRunsOnOneJobNeverWorkTheSameTask() throws {
        let fixture = try JobFixture(captions: 8, shardSize: 2)
        let a = try Laclip.start([
            "run", "--job", fixture.job.path, "--server", server.url, "--concurrency", "2", "--until-idle",
        ])
        let b = try Laclip.start([
            "run", "--job", fixture.job.path, "--server", server.url, "--concurrency", "2", "--until-idle",
        ])
        let outputs = [a.wait(), b.wait()]
        for output in outputs { #expect(output.status == 0, "\(output)") }
        let job = try fixture.open()
        #expect(try job.counts().total(.done) == 32)
        var workersSeen = Set<String>()
        for shard in job.shards {
            let workers = try job.openShard(shard, readonly: true).workersByTask()
            for (task, names) in workers {
                #expect(names.count == 1, "task \(task) was worked by \(names)")
                workersSeen.formUnion(names)
            }
        }
        #expect(workersSeen.count == 2, "both processes should have worked: \(workersSeen)")
    }
}
