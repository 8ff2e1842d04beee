import Fidelity
import Foundation
import Inference
import Logging
import Prompting
import RewriteQueue
import TestSupport

/// The rewrite part of `make bench`, in one run:
///
/// 1. Throughput on the same 160 prompts (40 sample captions × 4 styles): `laclip run` with
///    `--concurrency auto` and fixed at the slot count, a plain load generator at several fixed
///    in-flight counts (its best is the server's capacity), and the paper's recipe (fixed
///    batches, 77 tokens, no stop, cut at the first newline afterwards).
/// 2. Prefix-cache ordering: ≥ 2,000 captions of one style sent in laclip's task order
///    (style, demonstrations, caption) and in caption order, same settings.
///
/// Every contender gets a freshly started server: llama.cpp keeps earlier prompts in a RAM
/// cache, so a second pass over the same prompts would be served from it and look faster.
struct RewriteBench {
    let captions: Int
    let orderingCaptions: Int
    /// More llama-server options for the ordering servers only, e.g. `--cache-ram 0` to see the
    /// order without llama.cpp's RAM prompt cache (which restores the closest earlier prompt into
    /// whichever slot a request lands on).
    var orderingServerArguments: [String] = []
    /// The orders to measure; one alone is a control against another day's or setting's run.
    var orders: [PromptOrder] = [.tasks, .captions]
    let slots = 4
    let logger = Logger(label: "bench")
    /// One pooled HTTP client for every contender (its type is not named here: the bench does
    /// not depend on AsyncHTTPClient directly).
    let http = InferenceClientFactory.makeHTTPClient()

    func run() async throws {
        let work = try TemporaryDirectory("laclip-bench-rewrite")
        let dataset = try sampleDataset(in: work)
        let prompts = try await Self.prompts(of: try enqueue(dataset, into: work.path("prompts")), order: .tasks)
        print(
            "== rewrite (issue 16): \(prompts.count) prompts (\(captions) sample captions × 4 styles), llama-server + SmolLM2-135M, \(slots) slots, fresh server per contender"
        )
        print("   machine load before: \(Self.loadAverage())")

        var capacity = (level: 0, rate: 0.0)
        for level in [2, slots, slots + 1, slots + 2, 2 * slots, 3 * slots] {
            let rate = try await withFreshServer { client, _ in
                try await sweep(client, prompts: prompts, inFlight: level, stopAtNewline: true).rate
            }
            line("load generator, \(level) in flight", String(format: "%.2f rewrites/s", rate))
            if rate > capacity.rate { capacity = (level, rate) }
        }
        let paper = try await withFreshServer { client, _ in
            try await paperRecipe(client, prompts: prompts, batch: slots)
        }
        line("paper's recipe (batches of \(slots), 77 tokens, no stop)", String(format: "%.2f rewrites/s", paper))

        let auto = try await laclipRun(dataset, work: work, concurrency: "auto")
        let fixed = try await laclipRun(dataset, work: work, concurrency: String(slots))
        line("best load generator", String(format: "%.2f rewrites/s at %d in flight", capacity.rate, capacity.level))
        for (name, run) in [("auto", auto), ("fixed \(slots)", fixed)] {
            line(
                "laclip \(name) / best load generator",
                String(
                    format: "%.2f rewrites, %.2f requests", run.rewrites / capacity.rate, run.requests / capacity.rate),
                "≥ 1.0")
        }
        line("laclip auto / paper's recipe", String(format: "%.2f rewrites", auto.rewrites / paper), "≥ 2")
        try await guardCost(dataset, work: work, unguarded: fixed.rewrites)
        print("   machine load after: \(Self.loadAverage())")

        if orderingCaptions > 0 { try await orderingBench(work: work) }
        try await http.shutdown()
    }

    /// The first `captions` lines of the bundled sample, as a CSV in `work`.
    func sampleDataset(in work: TemporaryDirectory) throws -> URL {
        let lines = try String(
            contentsOf: RepositoryPaths.root.appendingPathComponent("samples/captions.csv"), encoding: .utf8
        )
        .split(separator: "\n").prefix(captions)
        return try work.write("captions.csv", lines.joined(separator: "\n") + "\n")
    }

    /// Only the prefix-cache ordering part (`LACLIP_BENCH_ONLY=ordering`): about 100 minutes here,
    /// so it can be run on its own on a quiet machine.
    func runOrdering() async throws {
        let work = try TemporaryDirectory("laclip-bench-ordering")
        try await orderingBench(work: work)
        try await http.shutdown()
    }

    /// Only the guard's cost, on the same prompts (`LACLIP_BENCH_ONLY=guard`).
    func runGuardCost() async throws {
        let work = try TemporaryDirectory("laclip-bench-guard")
        let dataset = try sampleDataset(in: work)
        print("== fidelity guard cost (issue 15): \(captions) sample captions × 4 styles, fresh server per run")
        print("   machine load before: \(Self.loadAverage())")
        try await guardCost(
            dataset, work: work,
            unguarded: try await laclipRun(dataset, work: work, concurrency: String(slots)).rewrites)
        print("   machine load after: \(Self.loadAverage())")
        try await http.shutdown()
    }

    /// `laclip run` at the recommended threshold against the unguarded rate at the same fixed
    /// concurrency: the re-samples are the cost, so the stored rewrites per second are compared.
    func guardCost(_ dataset: URL, work: TemporaryDirectory, unguarded: Double) async throws {
        let threshold = LexicalFidelity.recommendedThreshold
        let guarded = try await laclipRun(
            dataset, work: work, concurrency: String(slots), extra: ["--min-fidelity", "\(threshold)"]
        ).rewrites
        line(
            "guard cost: --min-fidelity \(threshold) / none (fixed \(slots))",
            String(format: "%.2f of the unguarded rewrites/s", guarded / unguarded))
    }

    /// laclip's task order vs caption order on one style's prompts, same in-flight count.
    func orderingBench(work: TemporaryDirectory) async throws {
        let file = try work.write("ordering.csv", CaptionFactory.laclipCSV(count: orderingCaptions))
        let job = try enqueue(file, into: work.path("ordering"), styles: "chatgpt")
        let inFlight = slots + 1
        print(
            "== prefix-cache ordering: \(orderingCaptions) captions, style chatgpt, \(inFlight) in flight, fresh server each"
                + (orderingServerArguments.isEmpty ? "" : ", server \(orderingServerArguments.joined(separator: " "))")
        )
        print("   machine load before: \(Self.loadAverage())")
        var rates: [PromptOrder: Double] = [:]
        for order in orders {
            let prompts = try await Self.prompts(of: job, order: order)
            let (rate, cached, total) = try await withFreshServer(extraArguments: orderingServerArguments) {
                client, _ in
                try await sweep(client, prompts: prompts, inFlight: inFlight, stopAtNewline: true)
            }
            rates[order] = rate
            line(
                "\(order.rawValue) order",
                String(
                    format: "%.2f rewrites/s, %.0f%% of prompt tokens from the cache", rate,
                    Double(cached) / Double(max(total, 1)) * 100))
        }
        if let tasks = rates[.tasks], let captions = rates[.captions] {
            line("task order / caption order", String(format: "%.2f", tasks / captions), "≥ 1.3")
        }
        print("   machine load after: \(Self.loadAverage())")
    }

    // MARK: - Contenders

    /// A whole `laclip run` process on a fresh job and server: stored rewrites per second, and
    /// requests per second (stored rewrites plus the re-samples of rejected ones, each a request
    /// the load generator, which keeps whatever comes back, does not make).
    func laclipRun(_ dataset: URL, work: TemporaryDirectory, concurrency: String, extra: [String] = []) async throws
        -> (rewrites: Double, requests: Double)
    {
        let job = try enqueue(dataset, into: work.path("job-\(concurrency)\(extra.joined())"))
        return try await withFreshServer { _, server in
            let started = Date()
            let output = try ProcessRunner.run(
                RepositoryPaths.laclip,
                [
                    "run", "--job", job.path, "--server", server.url,
                    "--concurrency", concurrency,
                ] + extra,
                environment: Laclip.environment)
            let seconds = Date().timeIntervalSince(started)
            guard output.status == 0 else { throw TestSupportError("\(output)") }
            let opened = try Job(directory: job, readonly: true)
            let done = try opened.counts().total(.done)
            let resamples = try opened.shards.reduce(0) { sum, shard in
                try sum + opened.openShard(shard, readonly: true).fidelity().values.reduce(0) { $0 + $1.resamples }
            }
            let rate = Double(done) / seconds
            let requests = Double(done + resamples) / seconds
            let levels = output.stderr.split(separator: "\n").filter {
                $0.contains("concurrency ") && $0.contains(": ")
            }.count
            let summary = output.stdout.split(separator: "\n").first.map(String.init) ?? ""
            line(
                "laclip run --concurrency \(concurrency)\(extra.isEmpty ? "" : " " + extra.joined(separator: " ")) (whole process)",
                String(
                    format: "%.2f rewrites/s = %.2f captions/s; %.2f requests/s with %d re-samples (%d level changes)",
                    rate, rate / 4, requests, resamples, levels))
            print("   \(summary)")
            return (rate, requests)
        }
    }

    /// Keeps `inFlight` requests going until every prompt is answered; returns answers/s and
    /// the prompt tokens the server took from its cache, of all prompt tokens.
    func sweep(
        _ client: any CompletionClient, prompts: [String], inFlight: Int,
        stopAtNewline: Bool
    ) async throws -> (rate: Double, cached: Int, total: Int) {
        let started = Date()
        var cached = 0
        var total = 0
        try await withThrowingTaskGroup(of: CompletionResponse.self) { group in
            var next = 0
            func send() {
                let (prompt, seed) = (prompts[next], next)
                next += 1
                group.addTask {
                    try await Self.completeRetrying(client, Self.request(prompt, index: seed, stop: stopAtNewline))
                }
            }
            for _ in 0..<min(inFlight, prompts.count) { send() }
            while let response = try await group.next() {
                cached += response.cachedPromptTokens ?? 0
                total += response.promptTokens
                if next < prompts.count { send() }
            }
        }
        return (Double(prompts.count) / Date().timeIntervalSince(started), cached, total)
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
                        let response = try await Self.completeRetrying(
                            client, Self.request(prompt, index: first + offset, stop: false))
                        _ = response.text.split(separator: "\n", omittingEmptySubsequences: false).first
                    }
                }
                try await group.waitForAll()
            }
            index += batch
        }
        return Double(prompts.count) / Date().timeIntervalSince(started)
    }

    // MARK: - Plumbing

    func withFreshServer<T>(
        extraArguments: [String] = [], _ body: (any CompletionClient, LlamaServerProcess) async throws -> T
    ) async throws -> T {
        let server = try LlamaServerProcess(slots: slots, threads: nil, extraArguments: extraArguments)
        defer { server.stop() }
        let client = try await InferenceClientFactory.connect(
            try ServerConfiguration(url: server.url), httpClient: http,
            logger: logger)
        return try await body(client, server)
    }

    func enqueue(_ dataset: URL, into job: URL, styles: String? = nil) throws -> URL {
        let output = try ProcessRunner.run(
            RepositoryPaths.laclip,
            ["enqueue", dataset.path, "--job", job.path]
                + (styles.map { ["--styles", $0] } ?? []), environment: Laclip.environment)
        guard output.status == 0 else { throw TestSupportError("\(output)") }
        return job
    }

    enum PromptOrder: String, CaseIterable {
        /// The queue's claim order: (style, demonstration draw, caption).
        case tasks = "task"
        /// Source order, as a naive loop over the dataset would send them.
        case captions = "caption"
    }

    static func prompts(of jobURL: URL, order: PromptOrder) async throws -> [String] {
        let job = try Job(directory: jobURL, readonly: true)
        let builder = PromptBuilder(template: job.definition.prompt)
        var prompts: [(caption: Int64, style: Int, text: String)] = []
        for shard in job.shards {
            let queue = try job.openShard(shard, readonly: true)
            for task in try queue.allTasks() {
                guard let caption = try queue.caption(task.id.caption) else {
                    throw TestSupportError("no caption \(task.id.caption)")
                }
                let text = try await builder.build(
                    caption: caption.text, draw: DemonstrationDraw(packed: task.draw),
                    source: job.definition.demonstrations(ofStyle: task.id.style)
                ).text
                prompts.append((task.id.caption, task.id.style, text))
            }
        }
        if order == .captions { prompts.sort { ($0.caption, $0.style) < ($1.caption, $1.style) } }
        return prompts.map(\.text)
    }

    /// A contender's request, sent again (at most twice) when it times out or the connection
    /// drops: one slow answer on a loaded machine must not end a 30-minute bench. The resent
    /// time is counted in the contender's rate, as laclip's own retries are in its figure.
    static func completeRetrying(_ client: any CompletionClient, _ request: CompletionRequest) async throws
        -> CompletionResponse
    {
        var tries = 0
        while true {
            tries += 1
            do {
                return try await client.complete(request)
            } catch let error as InferenceError where error.isRetryable && tries < 3 {
                print("   (retrying a request after \(error.kind))")
            }
        }
    }

    static func request(_ prompt: String, index: Int, stop: Bool) -> CompletionRequest {
        CompletionRequest(prompt: prompt, seed: UInt32(index), stop: stop ? ["\n"] : [], cachePrompt: true)
    }

    /// /proc/loadavg's first three fields: what else was loading the machine.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"
        return text.split(separator: " ").prefix(3).joined(separator: " ") + " (1/5/15 min)"
    }
}
