/// Decides whether and when to try a retryable failure again. Permanent failures are never
/// retried, whatever the strategy says.
public protocol RetryStrategy: Sendable {
    /// `attempt` counts the attempts made so far (1 after the first failure). nil: give up.
    func delay(afterAttempt attempt: Int, failure: InferenceError) -> Duration?
}

/// Exponential backoff with jitter: the n-th wait is drawn from [d/2, d] with
/// d = min(max, base · 2^(n-1)), so clients that failed together do not come back together.
/// A server's `Retry-After` is honoured as a floor.
public struct ExponentialJitterRetry: RetryStrategy {
    public var base: Duration
    public var max: Duration
    /// Attempts in all, the first one included.
    public var maxAttempts: Int

    public init(base: Duration, max: Duration, maxAttempts: Int) {
        self.base = base
        self.max = max
        self.maxAttempts = maxAttempts
    }

    public func delay(afterAttempt attempt: Int, failure: InferenceError) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        let exponent = Double(Swift.min(attempt - 1, 30))
        let ceiling = Swift.min(max.secondsDouble, base.secondsDouble * pow2(exponent))
        let drawn = Double.random(in: (ceiling / 2)...Swift.max(ceiling, ceiling / 2))
        let floor = failure.retryAfter.map { Swift.min($0, max).secondsDouble } ?? 0
        return .milliseconds(Int((Swift.max(drawn, floor) * 1000).rounded()))
    }

    private func pow2(_ exponent: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(exponent) { result *= 2 }
        return result
    }
}

/// The same wait every time.
public struct FixedDelayRetry: RetryStrategy {
    public var delay: Duration
    public var maxAttempts: Int

    public init(delay: Duration, maxAttempts: Int) {
        self.delay = delay
        self.maxAttempts = maxAttempts
    }

    public func delay(afterAttempt attempt: Int, failure: InferenceError) -> Duration? {
        attempt < maxAttempts ? delay : nil
    }
}

/// One attempt only.
public struct NoRetry: RetryStrategy {
    public init() {}
    public func delay(afterAttempt attempt: Int, failure: InferenceError) -> Duration? { nil }
}

extension RetryStrategy where Self == ExponentialJitterRetry {
    public static func exponentialJitter(
        base: Duration = .milliseconds(250), max: Duration = .seconds(10),
        maxAttempts: Int = 6
    ) -> ExponentialJitterRetry {
        ExponentialJitterRetry(base: base, max: max, maxAttempts: maxAttempts)
    }
}

extension RetryStrategy where Self == FixedDelayRetry {
    public static func fixed(_ delay: Duration, maxAttempts: Int) -> FixedDelayRetry {
        FixedDelayRetry(delay: delay, maxAttempts: maxAttempts)
    }
}

extension RetryStrategy where Self == NoRetry {
    public static var none: NoRetry { NoRetry() }
}
