/// How many requests `--concurrency auto` keeps in flight. Pure decision logic: every input
/// carries its own time (seconds on any monotonic clock), so tests drive it with a fake clock.
///
/// The level never goes below `floor`, the servers' total slot count: fewer requests than slots
/// leaves a slot idle whatever else happens. Above it, two ways to decide:
///
/// - **Server queue** (the server reports it on `/metrics`): hold `queueTarget` requests
///   waiting on the server, so a slot that frees finds its next prompt already there instead
///   of waiting for a client round trip. One more when nothing waits while every request the
///   client may send is out; fewer when more wait than the target (they only add latency).
///   A reading with requests waiting also proves every slot busy, so `running` then is the
///   slot count and raises the floor if `/props` said less (or nothing).
/// - **Hill climbing** on completed requests per second, when the server says nothing: from
///   one above the floor (`climbFloor`: blind to the server's queue, the client keeps one
///   request waiting there so a slot that frees never waits for a round trip; a deferred request
///   costs its own latency, not throughput), step up while a step beats the best rate by
///   `improvement`, else go back to the best level and hold it. Each level's window starts only
///   after `level` completions at that level (the requests sent before the change, or the first
///   prompts of a cold server, would otherwise be counted), and lasts at least
///   `minWindowSeconds` and `max(3 × level, minWindowCompletions)` completions. While holding,
///   every window is compared with the rate the level was chosen at: a change by more than
///   `drift` (longer completions of another style, a server that slowed down) starts the search
///   again from `climbFloor`.
public struct InFlightTuner: Sendable {
    public struct Settings: Sendable {
        public var minWindowSeconds = 2.0
        public var minWindowCompletions = 12
        public var improvement = 0.03
        public var drift = 0.25
        public var queueTarget = 1...2
        /// Time a queue-driven change is given to show on the server before the next one.
        public var queueSettleSeconds = 1.0
        public init() {}
    }

    public enum Mode: Sendable, Equatable {
        /// Waiting for the first full window at the floor.
        case searching
        case holding
        case serverQueue
    }

    /// Why the level last changed, for the run's log.
    public enum Change: Sendable, Equatable {
        case climb(rate: Double)
        case revert(rate: Double, best: Double)
        case retune(rate: Double, reference: Double)
        case queue(ServerLoad)
        case floorRaised(Int)
    }

    public private(set) var level: Int
    public private(set) var floor: Int
    public private(set) var mode: Mode = .searching
    public let ceiling: Int
    public let settings: Settings
    /// The lowest level hill climbing holds: one request waiting beyond the slots.
    public var climbFloor: Int { Self.climbFloor(floor: floor, ceiling: ceiling) }
    /// The rate of the last full window (completions per second).
    public private(set) var lastRate: Double?

    private var best: (level: Int, rate: Double)?
    private var reference = 0.0
    private var sinceChange = 0
    private var windowStart: Double?
    private var windowCount = 0
    private var lastQueueChange: Double?

    public init(slots: Int, ceiling: Int? = nil, settings: Settings = .init()) {
        floor = max(1, slots)
        self.ceiling = max(floor, ceiling ?? max(4 * floor, floor + 8))
        level = Self.climbFloor(floor: floor, ceiling: self.ceiling)
        self.settings = settings
    }

    // Static so that init can start there before every stored property is set.
    private static func climbFloor(floor: Int, ceiling: Int) -> Int { min(floor + 1, ceiling) }

    /// One completed request. Returns the change it caused, if any.
    public mutating func recordCompletion(now: Double) -> Change? {
        guard mode != .serverQueue else { return nil }
        sinceChange += 1
        // Warm-up: the first `level` completions after a change were sent before it (or hit a
        // cold server); the window starts at the last of them.
        if sinceChange <= level {
            if sinceChange == level {
                windowStart = now
                windowCount = 0
            }
            return nil
        }
        guard let start = windowStart else { return nil }
        windowCount += 1
        let elapsed = now - start
        guard windowCount >= max(settings.minWindowCompletions, 3 * level), elapsed >= settings.minWindowSeconds else {
            return nil
        }
        let rate = Double(windowCount) / elapsed
        lastRate = rate
        switch mode {
        case .searching:
            if let best, rate <= best.rate * (1 + settings.improvement) {
                reference = best.rate
                mode = .holding
                return set(best.level, change: .revert(rate: rate, best: best.rate), now: now)
            }
            best = (level, rate)
            let next = min(ceiling, level + max(1, level / 4))
            if next == level {
                reference = rate
                mode = .holding
                return restartWindow(at: now)
            }
            return set(next, change: .climb(rate: rate), now: now)
        case .holding:
            if abs(rate - reference) > reference * settings.drift {
                let previous = reference
                best = nil
                mode = .searching
                if level == climbFloor {
                    // Already at the floor: this window is the new baseline's first.
                    best = (level, rate)
                    let next = min(ceiling, level + max(1, level / 4))
                    return set(next, change: .retune(rate: rate, reference: previous), now: now)
                }
                return set(climbFloor, change: .retune(rate: rate, reference: previous), now: now)
            }
            return restartWindow(at: now)
        case .serverQueue:
            return nil
        }
    }

    /// A reading of the servers' queues, with the requests this client has out right now.
    /// From the first reading on, the queue decides and hill climbing stops.
    public mutating func observe(_ load: ServerLoad, inFlight: Int, now: Double) -> Change? {
        mode = .serverQueue
        if load.waiting > 0 && load.running > floor {
            floor = load.running
            if level < floor { return set(floor, change: .floorRaised(floor), now: now) }
        }
        if let last = lastQueueChange, now - last < settings.queueSettleSeconds { return nil }
        var next = level
        if load.waiting < settings.queueTarget.lowerBound && inFlight >= level {
            next = level + (settings.queueTarget.lowerBound - load.waiting)
        } else if load.waiting > settings.queueTarget.upperBound {
            next = level - (load.waiting - settings.queueTarget.upperBound)
        }
        // The queue says when to stop, so the hill-climbing ceiling does not apply; 256 (vLLM's
        // default max_num_seqs) only bounds a runaway.
        next = min(max(next, floor), max(ceiling, floor, 256))
        guard next != level else { return nil }
        lastQueueChange = now
        return set(next, change: .queue(load), now: now)
    }

    private mutating func set(_ newLevel: Int, change: Change, now: Double) -> Change? {
        if newLevel != level {
            level = newLevel
            sinceChange = 0
            windowStart = nil
            windowCount = 0
            return change
        }
        // Same level: the requests out were sent under it, so no warm-up is needed.
        sinceChange = level
        _ = restartWindow(at: now)
        return change
    }

    private mutating func restartWindow(at now: Double) -> Change? {
        windowStart = now
        windowCount = 0
        return nil
    }
}
