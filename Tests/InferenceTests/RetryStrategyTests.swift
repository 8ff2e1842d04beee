import Inference
import Testing

@Suite("Retry strategies")
struct RetryStrategyTests {
    let failure = InferenceError(kind: .httpStatus(500), endpoint: "e", detail: "")

    @Test func exponentialJitterGrowsStaysInBoundsAndStops() {
        let strategy: some RetryStrategy = .exponentialJitter(
            base: .milliseconds(100), max: .seconds(1), maxAttempts: 5)
        for _ in 0..<50 {
            let delays = (1...4).map { strategy.delay(afterAttempt: $0, failure: failure)! }
            let ceilings: [Duration] = [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800)]
            for (delay, ceiling) in zip(delays, ceilings) {
                #expect(delay >= ceiling / 2 && delay <= ceiling)
            }
        }
        #expect(strategy.delay(afterAttempt: 5, failure: failure) == nil)
        let capped = ExponentialJitterRetry(base: .seconds(1), max: .seconds(2), maxAttempts: 100)
        #expect(capped.delay(afterAttempt: 40, failure: failure)! <= .seconds(2))
    }

    @Test func retryAfterIsAFloorButNeverBeyondMax() {
        let strategy = ExponentialJitterRetry(base: .milliseconds(10), max: .seconds(5), maxAttempts: 3)
        let throttled = InferenceError(kind: .httpStatus(429), endpoint: "e", detail: "", retryAfter: .seconds(2))
        #expect(strategy.delay(afterAttempt: 1, failure: throttled) == .seconds(2))
        let greedy = InferenceError(kind: .httpStatus(429), endpoint: "e", detail: "", retryAfter: .seconds(3600))
        #expect(strategy.delay(afterAttempt: 1, failure: greedy) == .seconds(5))
    }

    @Test func shortcuts() {
        #expect(NoRetry().delay(afterAttempt: 1, failure: failure) == nil)
        let fixed: some RetryStrategy = .fixed(.milliseconds(30), maxAttempts: 2)
        #expect(fixed.delay(afterAttempt: 1, failure: failure) == .milliseconds(30))
        #expect(fixed.delay(afterAttempt: 2, failure: failure) == nil)
    }

    @Test func classificationTable() {
        func retryable(_ kind: InferenceError.Kind) -> Bool {
            InferenceError(kind: kind, endpoint: "e", detail: "").isRetryable
        }
        #expect(
            retryable(.httpStatus(500)) && retryable(.httpStatus(503)) && retryable(.httpStatus(429))
                && retryable(.httpStatus(408)))
        #expect(
            !retryable(.httpStatus(400)) && !retryable(.httpStatus(401)) && !retryable(.httpStatus(404))
                && !retryable(.httpStatus(422)))
        #expect(retryable(.timeout) && retryable(.connectionFailed) && retryable(.malformedResponse))
        #expect(!retryable(.configuration) && !retryable(.unsupported))
    }
}
