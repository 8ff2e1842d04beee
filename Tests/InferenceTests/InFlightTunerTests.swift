import Inference
import Testing

/// The `--concurrency auto` decisions, driven by a simulated server on a fake clock: no sleeps,
/// no network, every run the same.
@Suite("in-flight tuner")
struct InFlightTunerTests {
    /// A server with `slots` slots that answers each request in `service` seconds, plus a
    /// fixed client round trip during which a slot that has nothing queued sits idle. Its rate
    /// is `slots / (service + roundTrip)` at `slots` in flight and `slots / service` once one
    /// request waits per slot: so one level above the slots is worth climbing to, more is not.
    struct SimulatedServer {
        var slots: Int
        var service: Double
        var roundTrip: Double

        func rate(inFlight: Int) -> Double {
            let queued = Double(max(0, inFlight - slots))
            let hidden = min(1, queued / Double(slots))
            return Double(min(inFlight, slots)) / (service + roundTrip * (1 - hidden))
        }
    }

    /// Feeds `count` completions at the level the tuner asks for, on the fake clock `now`;
    /// returns every level it chose.
    static func run(_ tuner: inout InFlightTuner, server: SimulatedServer, count: Int, now: inout Double) -> [Int] {
        var levels: [Int] = []
        for _ in 0..<count {
            now += 1 / server.rate(inFlight: tuner.level)
            _ = tuner.recordCompletion(now: now)
            levels.append(tuner.level)
        }
        return levels
    }

    @Test func itNeverGoesBelowTheSlotsAndClimbsOnlyWhileItPays() {
        var tuner = InFlightTuner(slots: 4)
        var now = 0.0
        let server = SimulatedServer(slots: 4, service: 1.0, roundTrip: 0.3)
        #expect(tuner.level == 5, "blind to the server's queue, it starts with one waiting")
        let levels = Self.run(&tuner, server: server, count: 2_000, now: &now)
        #expect(levels.allSatisfy { $0 >= 5 })
        #expect(tuner.mode == .holding)
        // Each request waiting hides part of the round trip: 8 slots' worth does best.
        #expect(tuner.level > 5)
        #expect(tuner.level <= 8)
    }

    @Test func theFirstCompletionsOfALevelAreNotMeasured() {
        var tuner = InFlightTuner(slots: 4)
        var now = 0.0
        // The cold start: the first answers, one per request out, take far longer (prompt
        // processing, loading).
        for _ in 0..<tuner.level {
            now += 30
            _ = tuner.recordCompletion(now: now)
        }
        #expect(tuner.lastRate == nil, "warm-up completions must not count")
        let server = SimulatedServer(slots: 4, service: 1.0, roundTrip: 0)
        _ = Self.run(&tuner, server: server, count: 3 * tuner.level, now: &now)
        let rate = tuner.lastRate ?? 0
        #expect(abs(rate - 4) < 0.01, "the first window measures the steady rate, got \(rate)")
    }

    @Test func aRateThatDriftsStartsTheSearchAgain() {
        var tuner = InFlightTuner(slots: 4)
        var now = 0.0
        let coco = SimulatedServer(slots: 4, service: 1.0, roundTrip: 0.3)
        _ = Self.run(&tuner, server: coco, count: 2_000, now: &now)
        #expect(tuner.mode == .holding)
        // Bard's rewrites are about three times longer: same levels, a third of the rate.
        let bard = SimulatedServer(slots: 4, service: 3.0, roundTrip: 0.3)
        var retuned = false
        for _ in 0..<400 {
            now += 1 / bard.rate(inFlight: tuner.level)
            if case .retune = tuner.recordCompletion(now: now) { retuned = true }
            #expect(tuner.level >= 5)
        }
        #expect(retuned)
        #expect(tuner.mode == .holding)
    }

    @Test func aSteadyRateDoesNotRetune() {
        var tuner = InFlightTuner(slots: 2)
        var now = 0.0
        let server = SimulatedServer(slots: 2, service: 0.5, roundTrip: 0.1)
        _ = Self.run(&tuner, server: server, count: 500, now: &now)
        let held = tuner.level
        for _ in 0..<2_000 {
            now += 1 / server.rate(inFlight: tuner.level)
            if case .retune = tuner.recordCompletion(now: now) { Issue.record("retuned on a steady rate") }
        }
        #expect(tuner.level == held)
    }

    @Test func theServerQueueHoldsOneOrTwoWaiting() {
        var tuner = InFlightTuner(slots: 4)
        var now = 0.0
        // Nothing waits while everything the client may send is out (one is still on its way):
        // one more.
        let first = tuner.observe(ServerLoad(running: 4, waiting: 0), inFlight: 5, now: now)
        #expect(first != nil)
        #expect(tuner.level == 6)
        #expect(tuner.mode == .serverQueue)
        // Too soon after a change: it has not shown on the server yet.
        now += 0.5
        let tooSoon = tuner.observe(ServerLoad(running: 4, waiting: 0), inFlight: 6, now: now)
        #expect(tooSoon == nil)
        now += 1
        _ = tuner.observe(ServerLoad(running: 4, waiting: 1), inFlight: 6, now: now)
        #expect(tuner.level == 6, "one waiting is the target")
        // The client is not using its level (end of a shard): no reason to raise it.
        now += 1
        _ = tuner.observe(ServerLoad(running: 2, waiting: 0), inFlight: 2, now: now)
        #expect(tuner.level == 6)
        // Another client fills the queue: back down, but never below the slots.
        now += 1
        _ = tuner.observe(ServerLoad(running: 4, waiting: 9), inFlight: 5, now: now)
        #expect(tuner.level == 4)
        // Completions no longer move the level once the queue decides.
        for _ in 0..<100 {
            now += 0.1
            let change = tuner.recordCompletion(now: now)
            #expect(change == nil)
        }
        #expect(tuner.level == 4)
    }

    @Test func requestsWaitingRevealTheSlotCount() {
        // `/props` said nothing (vLLM): the pool assumed 2, but 6 run while some wait.
        var tuner = InFlightTuner(slots: 2)
        _ = tuner.observe(ServerLoad(running: 6, waiting: 3), inFlight: 9, now: 0)
        #expect(tuner.floor == 6)
        #expect(tuner.level >= 6)
    }

    @Test func prometheusTextIsRead() {
        let llama = """
            # HELP llamacpp:requests_processing Number of requests processing
            # TYPE llamacpp:requests_processing gauge
            llamacpp:requests_processing 4
            llamacpp:requests_deferred 2
            llamacpp:n_busy_slots_per_decode 3.5
            """
        #expect(ServerLoad.parse(prometheus: llama) == ServerLoad(running: 4, waiting: 2))
        let vllm = """
            vllm:num_requests_running{model_name="a"} 7.0
            vllm:num_requests_waiting{model_name="a"} 1.0
            vllm:num_requests_running{model_name="b"} 2.0
            vllm:num_requests_waiting{model_name="b"} 0.0
            """
        #expect(ServerLoad.parse(prometheus: vllm) == ServerLoad(running: 9, waiting: 1))
        #expect(ServerLoad.parse(prometheus: "tgi_queue_size 3\n") == nil)
    }
}
