import Foundation
import Logging
import TestSupport
import Testing

@testable import Inference

/// What a real llama-server says it reused from its prompt cache: the prefix-cache ordering
/// figure of `make bench` is built on it. A shared prefix is reported as reused, a cold prompt
/// as none, and never more than the prompt.
@Suite("llama.cpp reports the prompt tokens it reused", .serialized)
struct PromptCacheReportTests {
    @Test func aSharedPrefixIsReusedAndAColdPromptIsNot() async throws {
        let server = try LlamaServerProcess(slots: 1)
        let client = try await InferenceClientFactory.connect(
            try ServerConfiguration(url: server.url), httpClient: testHTTPClient,
            logger: Logger(label: "inference-test"))
        let shared = String(repeating: "A photo of a small red boat on a quiet lake at dawn. ", count: 6)
        func complete(_ prompt: String) async throws -> CompletionResponse {
            try await client.complete(
                CompletionRequest(prompt: prompt, seed: 1, maxTokens: 4, stop: ["\n"], cachePrompt: true))
        }
        let cold = try await complete(shared + "Caption one:")
        #expect(cold.cachedPromptTokens == 0, "a fresh server has nothing to reuse: \(cold)")
        let warm = try await complete(shared + "Caption two:")
        let reused = try #require(warm.cachedPromptTokens)
        #expect(reused > warm.promptTokens / 2, "the shared prefix is most of the prompt: \(warm)")
        #expect(reused < warm.promptTokens, "its last tokens differ: \(warm)")
        let other = try await complete("Something else entirely, with no prefix in common at all.")
        #expect((other.cachedPromptTokens ?? 0) <= 2, "at most a start token in common: \(other)")
    }
}
