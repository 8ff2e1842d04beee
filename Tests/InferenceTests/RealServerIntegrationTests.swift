import Foundation
import Inference
import Logging
import Testing

/// The real path: llama.cpp's llama-server serving SmolLM2-135M-Instruct.
@Suite(
    "Real llama-server", .serialized, .realLlamaServer,
    .enabled(if: RealServer.paths != nil, "llama-server could not be built (see the banner above)"))
struct RealServerIntegrationTests {
    var server: RealServer { RealServer.current! }
    let prompt = """
        write image captions differently,

        a dog on the beach => A playful dog runs across the sandy beach.

        red car parked outside => A shiny red car sits parked by the curb.

        a cup of coffee on a table =>
        """

    @Test func nativeAPIReturnsTextCountsAndThePapersSettings() async throws {
        let client = llamaCppClient(server.url, timeout: .seconds(60))
        let response = try await client.complete(CompletionRequest(prompt: prompt, seed: 1234))
        #expect(response.api == .llamaCpp)
        #expect(response.promptTokens > 20)
        #expect(response.completionTokens > 0 && response.completionTokens <= 77)
        #expect([FinishReason.stop, .length].contains(response.finishReason))
        #expect(!response.text.contains("\n"))
        #expect(!response.model.isEmpty)
        #expect(response.latency > .zero)

        let settings = try #require(response.serverSettings)
        #expect(abs(try #require(settings.temperature) - 0.9) < 1e-6)
        #expect(abs(try #require(settings.topP) - 0.95) < 1e-6)
        #expect(settings.nPredict == 77)
        #expect(try #require(settings.topK) <= 0)
        #expect(settings.minP == 0)
        #expect(settings.typicalP == 1)
        #expect(settings.repeatPenalty == 1)
        #expect(settings.presencePenalty == 0 && settings.frequencyPenalty == 0)
        #expect(settings.mirostat == 0)
        #expect(settings.xtcProbability == 0 && settings.dryMultiplier == 0)
        #expect(settings.samplers == ["temperature", "top_p"])
        #expect(settings.seed == 1234)
        #expect(settings.stop == ["\n"])
        #expect(settings.matchesPaper())
    }

    @Test func openAIAPIReturnsTextCountsAndFinishReason() async throws {
        let client = openAIClient(server.url, timeout: .seconds(60))
        let response = try await client.complete(CompletionRequest(prompt: prompt, seed: 99))
        #expect(response.api == .openAI)
        #expect(response.promptTokens > 20)
        #expect(response.completionTokens > 0 && response.completionTokens <= 77)
        #expect([FinishReason.stop, .length].contains(response.finishReason))
        #expect(!response.text.contains("\n"))
        #expect(!response.model.isEmpty)
    }

    @Test func autoDetectionPicksTheNativeAPI() async throws {
        let client = try await InferenceClientFactory.connect(
            ServerConfiguration(baseURL: server.url),
            httpClient: testHTTPClient, logger: Logger(label: "test"))
        #expect(client.api == .llamaCpp)
    }

    @Test func propsReportTheSlots() async throws {
        #expect(try await llamaCppClient(server.url).slotCount() == RealServer.slots)
        #expect(try await openAIClient(server.url).slotCount() == RealServer.slots)
    }

    @Test func tokenizeCountsTokens() async throws {
        let client = llamaCppClient(server.url)
        let short = try await client.countTokens("a cup of coffee")
        let long = try await client.countTokens("a cup of coffee on a wooden table next to a window")
        #expect(short > 0 && short < 15)
        #expect(long > short)
        #expect(try await client.countTokens("") == 0)
        #expect(try await openAIClient(server.url).countTokens("a cup of coffee") == short)
        // The prompt the server evaluates is the text we counted (plus BOS, if the model adds one).
        let response = try await client.complete(CompletionRequest(prompt: prompt, maxTokens: 1))
        let counted = try await client.countTokens(prompt)
        #expect(response.promptTokens - counted >= 0 && response.promptTokens - counted <= 1)
    }

    @Test func sameSeedSameText() async throws {
        let client = llamaCppClient(server.url, timeout: .seconds(60))
        let request = CompletionRequest(prompt: prompt, seed: 7, cachePrompt: false)
        let first = try await client.complete(request)
        let second = try await client.complete(request)
        #expect(first.text == second.text)
    }

    /// Not a benchmark, a record: prints one request's latency and the token rate with as many
    /// requests in flight as the server has slots, through the pool.
    @Test func measuredThroughput() async throws {
        let client = llamaCppClient(server.url, timeout: .seconds(120))
        let single = try await client.complete(CompletionRequest(prompt: prompt, seed: 1, stop: []))
        let firstLine = try await client.complete(CompletionRequest(prompt: prompt, seed: 1))
        let pool = EndpointPool(clients: [client], logger: Logger(label: "test"))
        let requests = 4 * RealServer.slots
        let started = ContinuousClock.now
        let tokens = try await withThrowingTaskGroup(of: Int.self) { group in
            var next = 0
            var total = 0
            // Keep exactly `slots` requests in flight, refilling as each finishes.
            for _ in 0..<RealServer.slots {
                let seed = UInt32(next); next += 1
                group.addTask {
                    try await pool.complete(CompletionRequest(prompt: prompt, seed: seed, stop: [])).completionTokens
                }
            }
            while let finished = try await group.next() {
                total += finished
                if next < requests {
                    let seed = UInt32(next); next += 1
                    group.addTask {
                        try await pool.complete(CompletionRequest(prompt: prompt, seed: seed, stop: []))
                            .completionTokens
                    }
                }
            }
            return total
        }
        let elapsed = (ContinuousClock.now - started)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        func milliseconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        }
        let report = String(
            format:
                "one request, no stop: %d tokens in %.0f ms; stopped at the newline: %d tokens in %.0f ms; %d concurrent: %d requests, %d tokens in %.2f s = %.1f tokens/s, %.2f requests/s",
            single.completionTokens, milliseconds(single.latency),
            firstLine.completionTokens, milliseconds(firstLine.latency),
            RealServer.slots, requests, tokens, seconds, Double(tokens) / seconds, Double(requests) / seconds)
        FileHandle.standardError.write(Data("[inference measurement] \(report)\n".utf8))
        #expect(tokens > 0)
        #expect(await pool.status()[0].completed == requests)
    }
}
