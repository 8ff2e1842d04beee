import Logging

/// Spreads requests over several servers by free capacity (slots minus requests in flight),
/// retries retryable failures on whichever endpoint is best at that moment, sets aside an
/// endpoint that keeps failing and probes it back in with `/health`.
///
/// When every endpoint is set aside, `complete` throws `.allEndpointsDown` without sending
/// anything: the caller should `waitUntilAvailable()` (pause) rather than spend its attempts.
public actor EndpointPool {
    public struct Policy: Sendable {
        /// Consecutive retryable failures that set an endpoint aside.
        public var failureThreshold: Int
        /// First wait before probing a set-aside endpoint; doubles while probes or the requests
        /// after a restore keep failing, up to `maxProbeInterval`.
        public var probeInterval: Duration
        public var maxProbeInterval: Duration
        /// Capacity assumed for servers without llama.cpp's `/props`.
        public var defaultCapacity: Int

        public init(
            failureThreshold: Int = 3, probeInterval: Duration = .seconds(1),
            maxProbeInterval: Duration = .seconds(30), defaultCapacity: Int = 4
        ) {
            self.failureThreshold = failureThreshold
            self.probeInterval = probeInterval
            self.maxProbeInterval = maxProbeInterval
            self.defaultCapacity = defaultCapacity
        }
    }

    struct Member {
        let client: any CompletionClient
        var capacity: Int
        var state: EndpointStatus.State = .available
        var inFlight = 0
        var consecutiveFailures = 0
        var completed = 0
        var failures = 0
        var lastError: String?
        var retryAt = ContinuousClock.now
        var probeInterval: Duration
        var lastPicked: UInt64 = 0
    }

    private var members: [Member]
    private var capacityLoaded = false
    private var pickCounter: UInt64 = 0
    private var announcedAllDown = false
    private let policy: Policy
    private let logger: Logger

    public init(clients: [any CompletionClient], policy: Policy = .init(), logger: Logger) {
        precondition(!clients.isEmpty, "an endpoint pool needs at least one client")
        self.members = clients.map {
            Member(client: $0, capacity: policy.defaultCapacity, probeInterval: policy.probeInterval)
        }
        self.policy = policy
        self.logger = logger
    }

    /// Reads each server's slot count. Called on first use; call again after a server restarts
    /// with a different `--parallel`.
    public func refreshCapacity() async {
        capacityLoaded = true
        for index in members.indices {
            let client = members[index].client
            if let slots = try? await client.slotCount(), slots > 0 {
                members[index].capacity = slots
            }
        }
    }

    public func status() -> [EndpointStatus] {
        members.map {
            EndpointStatus(
                endpoint: $0.client.endpoint, api: $0.client.api, state: $0.state,
                capacity: $0.capacity, inFlight: $0.inFlight,
                consecutiveFailures: $0.consecutiveFailures, completed: $0.completed,
                failures: $0.failures, lastError: $0.lastError)
        }
    }

    /// The available endpoints' queues summed, read from their `/metrics`; nil unless every
    /// available endpoint reports one (a partial sum would look like an idle server).
    public func serverLoad() async -> ServerLoad? {
        let clients = members.filter { $0.state == .available }.map(\.client)
        guard !clients.isEmpty else { return nil }
        var total = ServerLoad(running: 0, waiting: 0)
        for client in clients {
            guard let load = try? await client.serverLoad() else { return nil }
            total = total + load
        }
        return total
    }

    /// Sum of the available endpoints' capacities: a natural in-flight target.
    public var totalCapacity: Int { members.filter { $0.state == .available }.reduce(0) { $0 + $1.capacity } }
    public var freeCapacity: Int { status().reduce(0) { $0 + $1.freeCapacity } }
    public var isAllDown: Bool { !members.contains { $0.state == .available } }

    /// Sends `request` to the endpoint with the most free capacity, retrying retryable failures
    /// as `retry` allows (each retry picks again, so it usually lands elsewhere). The returned
    /// response and a final error carry the number of attempts spent.
    public func complete(
        _ request: CompletionRequest,
        retry: some RetryStrategy = .exponentialJitter()
    ) async throws -> CompletionResponse {
        if !capacityLoaded { await refreshCapacity() }
        var attempt = 0
        while true {
            guard let index = await pickEndpoint() else {
                var failure = allDownError()
                failure.attempts = attempt
                throw failure
            }
            attempt += 1
            members[index].inFlight += 1
            let client = members[index].client
            do {
                var response = try await client.complete(request)
                members[index].inFlight -= 1
                recordSuccess(index)
                response.attempts = attempt
                return response
            } catch var failure as InferenceError {
                members[index].inFlight -= 1
                failure.attempts = attempt
                // A permanent failure (400, 401, 404...) is about the request, not the server's
                // health, so it neither counts against the endpoint nor gets retried.
                guard failure.isRetryable else { throw failure }
                recordFailure(index, failure)
                guard let wait = retry.delay(afterAttempt: attempt, failure: failure) else { throw failure }
                logger.warning(
                    "retrying completion",
                    metadata: [
                        "attempt": "\(attempt)", "wait_ms": "\(Int(wait.secondsDouble * 1000))", "error": "\(failure)",
                    ])
                try await Task.sleep(for: wait)
            } catch {
                members[index].inFlight -= 1
                throw error
            }
        }
    }

    /// Returns once some endpoint is available, probing set-aside ones on their schedule.
    /// Throws `.allEndpointsDown` if `timeout` passes first; `CancellationError` if cancelled.
    public func waitUntilAvailable(timeout: Duration? = nil) async throws {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while isAllDown {
            if !announcedAllDown {
                announcedAllDown = true
                logger.error(
                    "all endpoints down; pausing until one answers /health",
                    metadata: [
                        "endpoints": "\(members.map { "\($0.client.endpoint): \($0.lastError ?? "-")" })"
                    ])
            }
            let now = ContinuousClock.now
            let due = members.indices.filter { members[$0].state == .setAside && members[$0].retryAt <= now }
            if !due.isEmpty {
                await probe(due)
                continue
            }
            let nextProbe =
                members.filter { $0.state == .setAside }.map(\.retryAt).min()
                ?? now + .milliseconds(50) // another task's probe is running: look again soon
            if let deadline, nextProbe > deadline {
                throw allDownError()
            }
            try await Task.sleep(until: nextProbe, clock: .continuous)
        }
    }

    // MARK: - Bookkeeping

    private func pickEndpoint() async -> Int? {
        let now = ContinuousClock.now
        let due = members.indices.filter { members[$0].state == .setAside && members[$0].retryAt <= now }
        if !due.isEmpty {
            if isAllDown {
                await probe(due)
            } else {
                // Others can serve meanwhile: do not make this request wait for the probe.
                for index in due { members[index].state = .probing }
                Task { await self.probe(due, alreadyMarked: true) }
            }
        }
        var best: Int?
        for index in members.indices where members[index].state == .available {
            guard let current = best else { best = index; continue }
            let free = members[index].capacity - members[index].inFlight
            let currentFree = members[current].capacity - members[current].inFlight
            if free > currentFree || (free == currentFree && members[index].lastPicked < members[current].lastPicked) {
                best = index
            }
        }
        if let best {
            pickCounter += 1
            members[best].lastPicked = pickCounter
        }
        return best
    }

    private func probe(_ indices: [Int], alreadyMarked: Bool = false) async {
        if !alreadyMarked { for index in indices { members[index].state = .probing } }
        await withTaskGroup(of: (Int, Bool, String?).self) { group in
            for index in indices {
                let client = members[index].client
                group.addTask {
                    do {
                        let health = try await client.health()
                        return (index, health == .ready, health == .ready ? nil : "loading")
                    } catch {
                        return (index, false, "\(error)")
                    }
                }
            }
            for await (index, healthy, problem) in group {
                if healthy {
                    members[index].state = .available
                    members[index].consecutiveFailures = 0
                    announcedAllDown = false
                    logger.notice(
                        "endpoint back in the pool", metadata: ["endpoint": "\(members[index].client.endpoint)"])
                } else {
                    members[index].lastError = problem
                    setAside(index)
                }
            }
        }
    }

    private func recordSuccess(_ index: Int) {
        members[index].completed += 1
        members[index].consecutiveFailures = 0
        members[index].probeInterval = policy.probeInterval
    }

    private func recordFailure(_ index: Int, _ failure: InferenceError) {
        members[index].failures += 1
        members[index].consecutiveFailures += 1
        members[index].lastError = failure.description
        if members[index].state == .available, members[index].consecutiveFailures >= policy.failureThreshold {
            setAside(index)
            logger.warning(
                "endpoint set aside",
                metadata: [
                    "endpoint": "\(members[index].client.endpoint)",
                    "failures": "\(members[index].consecutiveFailures)",
                    "probe_in_ms": "\(Int(members[index].probeInterval.secondsDouble * 1000))",
                    "error": "\(failure)",
                ])
        }
    }

    private func setAside(_ index: Int) {
        members[index].state = .setAside
        members[index].retryAt = ContinuousClock.now + members[index].probeInterval
        members[index].probeInterval = min(members[index].probeInterval * 2, policy.maxProbeInterval)
    }

    private func allDownError() -> InferenceError {
        let detail = members.map { "\($0.client.endpoint): \($0.lastError ?? "set aside")" }.joined(separator: "; ")
        return InferenceError(kind: .allEndpointsDown, endpoint: "pool of \(members.count)", detail: detail)
    }
}
