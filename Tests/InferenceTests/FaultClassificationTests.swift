import Foundation
import Inference
import Logging
import TestSupport
import Testing

/// Each injected fault must come back as the right kind of `InferenceError`, on both APIs.
@Suite("Fault classification against the fault double", .serialized)
struct FaultClassificationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var behaviour: String
        var kind: InferenceError.Kind
        var retryable: Bool
        var testDescription: String { behaviour }
    }

    static let cases: [Case] = [
        Case(behaviour: "500", kind: .httpStatus(500), retryable: true),
        Case(behaviour: "429", kind: .httpStatus(429), retryable: true),
        Case(behaviour: "loading", kind: .httpStatus(503), retryable: true),
        Case(behaviour: "400", kind: .httpStatus(400), retryable: false),
        Case(behaviour: "401", kind: .httpStatus(401), retryable: false),
        Case(behaviour: "slow:30", kind: .timeout, retryable: true),
        Case(behaviour: "stall_body:30", kind: .timeout, retryable: true),
        Case(behaviour: "reset", kind: .connectionFailed, retryable: true),
        Case(behaviour: "truncated", kind: .connectionFailed, retryable: true),
        Case(behaviour: "truncated_json", kind: .malformedResponse, retryable: true),
        Case(behaviour: "malformed", kind: .malformedResponse, retryable: true),
    ]

    @Test(arguments: cases, ServerAPI.allCases.filter { $0 != .auto })
    func faultIsClassified(_ fault: Case, api: ServerAPI) async throws {
        let double = try FaultDouble()
        defer { double.stop() }
        try await double.plan(completion: [fault.behaviour])
        let client: any CompletionClient =
            api == .llamaCpp
            ? llamaCppClient(double.url, timeout: .milliseconds(800))
            : openAIClient(double.url, timeout: .milliseconds(800))
        let started = ContinuousClock.now
        let error = await #expect(throws: InferenceError.self) {
            _ = try await client.complete(CompletionRequest(prompt: "a dog =>"))
        }
        #expect(error?.kind == fault.kind)
        #expect(error?.isRetryable == fault.retryable)
        // A slow server (30 s) must be cut at the per-request timeout (0.8 s), not waited out;
        // the bound is loose so that a loaded machine cannot fail it.
        #expect(ContinuousClock.now - started < .seconds(20))
        // Error text stays short however big the body was.
        #expect((error?.description.count ?? 0) < InferenceError.detailLimit + 150)
        // The next request on the same pooled client works: a fault does not poison the pool.
        let response = try await client.complete(CompletionRequest(prompt: "a dog =>"))
        #expect(response.text == " a rewritten caption")
    }

    @Test func refusedConnectionIsRetryable() async throws {
        let port = try FreePort.find()
        let client = llamaCppClient(URL(string: "http://127.0.0.1:\(port)")!)
        let error = await #expect(throws: InferenceError.self) {
            _ = try await client.complete(CompletionRequest(prompt: "x =>"))
        }
        #expect(error?.kind == .connectionFailed)
        #expect(error?.isRetryable == true)
    }

    @Test func retryAfterHeaderIsRead() async throws {
        let double = try FaultDouble()
        defer { double.stop() }
        try await double.plan(completion: ["429:7"])
        let error = await #expect(throws: InferenceError.self) {
            _ = try await llamaCppClient(double.url).complete(CompletionRequest(prompt: "x =>"))
        }
        #expect(error?.retryAfter == .seconds(7))
    }

    @Test func readinessWaitsThroughLoading() async throws {
        let double = try FaultDouble()
        defer { double.stop() }
        try await double.plan(health: ["loading", "loading", "loading"])
        let client = llamaCppClient(double.url)
        #expect(try await client.health() == .loading)
        try await client.waitUntilReady(timeout: .seconds(10), pollInterval: .milliseconds(20))
        #expect(try await double.stats().stats.health == 4)
    }

    @Test func readinessGivesUpAtTheDeadline() async throws {
        let double = try FaultDouble()
        defer { double.stop() }
        try await double.plan(health: Array(repeating: "loading", count: 500))
        let started = ContinuousClock.now
        let error = await #expect(throws: InferenceError.self) {
            try await llamaCppClient(double.url).waitUntilReady(
                timeout: .milliseconds(500), pollInterval: .milliseconds(50))
        }
        #expect(error?.kind == .notReady)
        // 500 "loading" answers would take 25 s to run out: giving up at the deadline is far sooner.
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test func autoDetectsLlamaCppByProps() async throws {
        let double = try FaultDouble(arguments: ["--slots", "3"])
        defer { double.stop() }
        let client = try await InferenceClientFactory.connect(
            ServerConfiguration(baseURL: double.url),
            httpClient: testHTTPClient,
            logger: Logger(label: "test"), readinessTimeout: .seconds(5))
        #expect(client.api == .llamaCpp)
        #expect(try await client.slotCount() == 3)
    }

    @Test func autoFallsBackToOpenAIAndLearnsTheModelName() async throws {
        let double = try FaultDouble(arguments: ["--no-props"])
        defer { double.stop() }
        let client = try await InferenceClientFactory.connect(
            ServerConfiguration(baseURL: double.url),
            httpClient: testHTTPClient,
            logger: Logger(label: "test"), readinessTimeout: .seconds(5))
        #expect(client.api == .openAI)
        #expect(try await client.slotCount() == nil)
        _ = try await client.complete(CompletionRequest(prompt: "x =>"))
        #expect(try await double.lastCompletionBody()["model"] as? String == "double-model")
    }

    @Test func openAIBodyCarriesPaperSettingsAndSamplerOffFields() async throws {
        let double = try FaultDouble()
        defer { double.stop() }
        _ = try await openAIClient(double.url, model: "m").complete(CompletionRequest(prompt: "x =>", seed: 42))
        let body = try await double.lastCompletionBody()
        #expect(body["max_tokens"] as? Int == 77)
        #expect(body["temperature"] as? Double == 0.9)
        #expect(body["top_p"] as? Double == 0.95)
        #expect(body["seed"] as? Int == 42)
        #expect(body["stop"] as? [String] == ["\n"])
        #expect(body["top_k"] as? Int == -1)
        #expect(body["min_p"] as? Double == 0)
        #expect(body["repetition_penalty"] as? Double == 1)
        #expect(body["samplers"] as? [String] == ["temperature", "top_p"])
    }

    @Test func openAIBodyCanStayStrictlyOpenAI() async throws {
        let double = try FaultDouble()
        defer { double.stop() }
        var configuration = ServerConfiguration(baseURL: double.url, api: .openAI, model: "m")
        configuration.sendsExtraSamplerFields = false
        let client = OpenAICompletionsClient(
            configuration: configuration, httpClient: testHTTPClient, logger: Logger(label: "t"))
        _ = try await client.complete(CompletionRequest(prompt: "x =>"))
        let body = try await double.lastCompletionBody()
        #expect(body["top_k"] == nil && body["samplers"] == nil && body["seed"] == nil)
        #expect(body["temperature"] as? Double == 0.9)
    }
}
