import Foundation
import Inference
import Logging
import Prompting
import RewriteQueue
import TestSupport

/// The rewrite part of `make bench`: `laclip run` against the local llama-server, the server's
/// capacity measured by a plain load generator on the same prompts, and the paper's recipe
/// (fixed batches, 77 tokens, no stop, cut at the first newline afterwards).
struct RewriteBench {
    let captions: Int
    let logger = Logger(label: "bench")

    func run() async throws {
        print("== rewrite (issue 4): \(captions) captions × 4 styles against llama-server + SmolLM2-135M, 4 slots")
        // Each contender gets a freshly started server: llama.cpp keeps earlier prompts in a RAM
        // cache, so a second pass over the same prompts would be served from it and look faster.
        var server = try LlamaServerProcess(slots: 4)
        let work = try TemporaryDirectory("laclip-bench-rewrite")
        let lines = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("samples/captions.csv"), encoding: .utf8)
            .split(separator: "\n").prefix(captions)
        let dataset = try work.write("captions.csv", lines.joined(separator: "\n") + "\n")
        let environment = Laclip.environment
        func enqueue(_ name: String) throws -> URL {
            let job = work.path(name)
            let output = try ProcessRunner.run(RepositoryPaths.laclip, ["enqueue", dataset.path, "--job", job.path], environment: environment)
            guard output.status == 0 else { throw TestSupportError("\(output)") }
            return job
        }

        // The prompts every contender sends, in the order the queue hands them out.
        let prompts = try await Self.prompts(of: try enqueue("prompts"))

        let http = InferenceClientFactory.makeHTTPClient()
        func freshClient() async throws -> any CompletionClient {
            server.stop()
            server = try LlamaServerProcess(slots: 4)
            return try await InferenceClientFactory.connect(try ServerConfiguration(url: server.url), httpClient: http, logger: logger)
        }

        var capacity = (level: 0, rate: 0.0)
        for level in [2, 4, 6, 8, 12] {
            let rate = try await sweep(try await freshClient(), prompts: prompts, inFlight: level, stopAtNewline: true)
            line("load generator, \(level) in flight", String(format: "%.2f rewrites/s", rate))
            if rate > capacity.rate { capacity = (level, rate) }
        }
        let paper = try await paperRecipe(try await freshClient(), prompts: prompts, batch: 4)
        line("paper's recipe (batches of 4, 77 tokens, no stop)", String(format: "%.2f rewrites/s", paper))
        _ = try await freshClient()

        let job = try enqueue("job")
        let started = Date()
        let output = try ProcessRunner.run(RepositoryPaths.laclip, ["run", "--job", job.path, "--server", server.url],
                                           environment: environment)
        let seconds = Date().timeIntervalSince(started)
        guard output.status == 0 else { throw TestSupportError("\(output)") }
        let laclip = Double(prompts.count) / seconds
        line("laclip run (whole process, concurrency auto)", String(format: "%.2f rewrites/s = %.2f captions/s", laclip, laclip / 4))
        line("capacity (best load-generator level)", String(format: "%.2f rewrites/s at %d in flight", capacity.rate, capacity.level))
        line("laclip run / capacity", String(format: "%.2f", laclip / capacity.rate), "≥ 0.95")
        line("laclip run / paper's recipe", String(format: "%.2f", laclip / paper), "≥ 2")
        try await http.shutdown()
        server.stop()
    }

    static func prompts(of jobURL: URL) async throws -> [String] {
        let job = try Job(directory: jobURL, readonly: true)
        let template = try job.manifest.template()
        let builder = PromptBuilder(template: try PromptTemplate(text: template.text, file: template.file))
        let sources = try job.styles.map { try MetaPairSource.parse(name: $0.name, text: $0.metaPairs, file: $0.metaPairsFile) }
        var prompts: [String] = []
        for shard in job.shards {
            let queue = try job.openShard(shard, readonly: true)
            for task in try queue.allTasks() {
                let source = sources[task.id.style]
                let caption = try queue.caption(task.id.caption)!.text
                prompts.append(try await builder.build(caption: caption, draw: DemonstrationDraw(packed: task.draw), source: source).text)
            }
        }
        return prompts
    }

    /// Keeps `inFlight` requests going until every prompt is answered; returns answers/s.
    func sweep(_ client: any CompletionClient, prompts: [String], inFlight: Int, stopAtNewline: Bool) async throws -> Double {
        let started = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            for _ in 0..<min(inFlight, prompts.count) {
                let (prompt, seed) = (prompts[next], next)
                next += 1
                group.addTask { _ = try await client.complete(Self.request(prompt, index: seed, stop: stopAtNewline)) }
            }
            while try await group.next() != nil {
                guard next < prompts.count else { continue }
                let (prompt, seed) = (prompts[next], next)
                next += 1
                group.addTask { _ = try await client.complete(Self.request(prompt, index: seed, stop: stopAtNewline)) }
            }
        }
        return Double(prompts.count) / Date().timeIntervalSince(started)
    }

    /// LaCLIP's reference loop: a fixed batch is sent, all of it generates the full 77 tokens,
    /// the next batch waits for the slowest; the first line is kept afterwards.
    func paperRecipe(_ client: any CompletionClient, prompts: [String], batch: Int) async throws -> Double {
        let started = Date()
        var index = 0
        while index < prompts.count {
            let slice = Array(prompts[index..<min(index + batch, prompts.count)])
            let first = index
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (offset, prompt) in slice.enumerated() {
                    group.addTask {
                        let response = try await client.complete(Self.request(prompt, index: first + offset, stop: false))
                        _ = response.text.split(separator: "\n", omittingEmptySubsequences: false).first
                    }
                }
                try await group.waitForAll()
            }
            index += batch
        }
        return Double(prompts.count) / Date().timeIntervalSince(started)
    }

    static func request(_ prompt: String, index: Int, stop: Bool) -> CompletionRequest {
        CompletionRequest(prompt: prompt, seed: UInt32(index), stop: stop ? ["\n"] : [], cachePrompt: true)
    }
}
