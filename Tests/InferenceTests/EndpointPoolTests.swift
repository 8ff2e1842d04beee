import Foundation
import Inference
import Logging
import Testing

@Suite("Endpoint pool against fault doubles", .serialized)
struct EndpointPoolTests {
    let fastRetry = FixedDelayRetry(delay: .milliseconds(10), maxAttempts: 4)

    @Test func transientFaultsAreRetriedUntilSuccess() async throws {
        let double = try FaultDouble()
        defer { double.stop() }
        let pool = EndpointPool(
            clients: [llamaCppClient(double.url, timeout: .milliseconds(500))],
            policy: .init(failureThreshold: 10), logger: Logger(label: "t"))
        try await double.plan(completion: [
            "500", "reset", "slow:2", "truncated", "truncated_json", "malformed", "429", "ok",
        ])
        let response = try await pool.complete(
            CompletionRequest(prompt: "x =>"), retry: .fixed(.milliseconds(10), maxAttempts: 8))
        #expect(response.attempts == 8)
        #expect(response.text == " a rewritten caption")
        #expect(try await double.stats().stats.completion == 8)
    }

    @Test func retriesAreBounded() async throws {
        let double = try FaultDouble()
        defer { double.stop() }
        let pool = EndpointPool(
            clients: [llamaCppClient(double.url)], policy: .init(failureThreshold: 100), logger: Logger(label: "t"))
        try await double.plan(completion: Array(repeating: "500", count: 50))
        let error = await #expect(throws: InferenceError.self) {
            _ = try await pool.complete(CompletionRequest(prompt: "x =>"), retry: fastRetry)
        }
        #expect(error?.kind == .httpStatus(500))
        #expect(error?.attempts == 4)
        #expect(try await double.stats().stats.completion == 4)
    }

    @Test func permanentFailureIsNotRetriedAndDoesNotHurtTheEndpoint() async throws {
        let double = try FaultDouble()
        defer { double.stop() }
        let pool = EndpointPool(
            clients: [llamaCppClient(double.url)], policy: .init(failureThreshold: 1), logger: Logger(label: "t"))
        try await double.plan(completion: ["400", "400"])
        for _ in 0..<2 {
            let error = await #expect(throws: InferenceError.self) {
                _ = try await pool.complete(CompletionRequest(prompt: "x =>"), retry: fastRetry)
            }
            #expect(error?.attempts == 1)
        }
        #expect(try await double.stats().stats.completion == 2)
        #expect(await pool.status()[0].state == .available)
    }

    @Test func failingEndpointIsSetAsideAndProbedBackIn() async throws {
        let sick = try FaultDouble()
        let healthy = try FaultDouble()
        defer { sick.stop(); healthy.stop() }
        let pool = EndpointPool(
            clients: [llamaCppClient(sick.url), llamaCppClient(healthy.url)],
            policy: .init(failureThreshold: 2, probeInterval: .milliseconds(300)),
            logger: Logger(label: "t"))
        try await sick.plan(completion: Array(repeating: "500", count: 2), health: ["500"])
        // Equal capacity: picks alternate, so the sick one fails twice and is set aside; every
        // request still succeeds through the retry.
        for _ in 0..<6 {
            let response = try await pool.complete(CompletionRequest(prompt: "x =>"), retry: fastRetry)
            #expect(response.endpoint == healthy.url.absoluteString)
        }
        var status = await pool.status()
        #expect(status[0].state == .setAside)
        #expect(status[0].failures == 2)
        #expect(try await sick.stats().stats.completion == 2)

        // First probe (health "500") fails and keeps it aside; the next one brings it back.
        let deadline = ContinuousClock.now + .seconds(10)
        while await pool.status()[0].state != .available, ContinuousClock.now < deadline {
            _ = try await pool.complete(CompletionRequest(prompt: "x =>"), retry: fastRetry)
            try await Task.sleep(for: .milliseconds(50))
        }
        status = await pool.status()
        #expect(status[0].state == .available)
        #expect(try await sick.stats().stats.health >= 2)
        let before = try await sick.stats().stats.completion
        for _ in 0..<4 { _ = try await pool.complete(CompletionRequest(prompt: "x =>"), retry: fastRetry) }
        #expect(try await sick.stats().stats.completion > before)
    }

    @Test func serverGoesAwayAndComesBack() async throws {
        let double = try FaultDouble()
        defer { double.stop() }
        let (logger, captured) = Logger.capturing()
        let pool = EndpointPool(
            clients: [llamaCppClient(double.url)],
            policy: .init(failureThreshold: 2, probeInterval: .milliseconds(100), maxProbeInterval: .milliseconds(400)),
            logger: logger)
        _ = try await pool.complete(CompletionRequest(prompt: "x =>"))
        double.stop()

        // Two refused attempts set the only endpoint aside; the pool then says "all down"
        // instead of spending the remaining attempts.
        let down = await #expect(throws: InferenceError.self) {
            _ = try await pool.complete(
                CompletionRequest(prompt: "x =>"), retry: .fixed(.milliseconds(10), maxAttempts: 10))
        }
        #expect(down?.kind == .allEndpointsDown)
        #expect(down?.attempts == 2)
        #expect(await pool.isAllDown)
        let stillDown = await #expect(throws: InferenceError.self) {
            _ = try await pool.complete(
                CompletionRequest(prompt: "x =>"), retry: .fixed(.milliseconds(10), maxAttempts: 10))
        }
        #expect(stillDown?.kind == .allEndpointsDown)
        #expect(stillDown?.attempts == 0)
        let timedOut = await #expect(throws: InferenceError.self) {
            try await pool.waitUntilAvailable(timeout: .milliseconds(300))
        }
        #expect(timedOut?.kind == .allEndpointsDown)
        #expect(captured.lines.contains { $0.contains("all endpoints down") })

        try double.restart()
        try await pool.waitUntilAvailable(timeout: .seconds(10))
        let response = try await pool.complete(CompletionRequest(prompt: "x =>"))
        #expect(response.attempts == 1)
        #expect(captured.lines.contains { $0.contains("back in the pool") })
    }

    @Test func balancesByFreeCapacity() async throws {
        let big = try FaultDouble(arguments: ["--slots", "4"])
        let small = try FaultDouble(arguments: ["--slots", "1"])
        defer { big.stop(); small.stop() }
        try await big.plan(completion: Array(repeating: "slow:0.6", count: 10))
        try await small.plan(completion: Array(repeating: "slow:0.6", count: 10))
        let pool = EndpointPool(
            clients: [llamaCppClient(big.url), llamaCppClient(small.url)], logger: Logger(label: "t"))
        await pool.refreshCapacity()
        #expect(await pool.totalCapacity == 5)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<5 {
                group.addTask { _ = try await pool.complete(CompletionRequest(prompt: "x =>"), retry: .none) }
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(await pool.freeCapacity == 0)
            try await group.waitForAll()
        }
        #expect(try await big.stats().stats.completion == 4)
        #expect(try await small.stats().stats.completion == 1)
    }

    @Test func manyConcurrentRequestsToOneHost() async throws {
        let double = try FaultDouble()
        defer { double.stop() }
        try await double.plan(completion: Array(repeating: "slow:1", count: 40))
        let client = llamaCppClient(double.url, timeout: .seconds(10))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<40 { group.addTask { _ = try await client.complete(CompletionRequest(prompt: "x =>")) } }
            try await group.waitForAll()
        }
        // AsyncHTTPClient's default pool would never have more than 8 requests at the server.
        #expect(try await double.stats().max_in_flight > 8)
    }
}
