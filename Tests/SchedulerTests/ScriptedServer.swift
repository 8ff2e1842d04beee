import Foundation
import Inference
import Synchronization

/// An in-process inference server: answers from a script keyed by the prompt's caption and by
/// how many times that caption was asked before (so re-samples can be scripted), reports a slot
/// count, and counts its own requests in flight.
///
/// It can hold requests instead of answering at once, so a test sees (and controls) how many
/// the runner keeps in flight without depending on timing. A held request whose task is
/// cancelled ends with `CancellationError`, as a real client's request does.
final class ScriptedServer: CompletionClient {
    enum Holding: Sendable {
        /// Answer at once.
        case none
        /// Hold requests until `size` are held (or `total` requests have arrived: the last,
        /// smaller batch), then answer them all. A batch that is not full after `patience` is
        /// answered anyway and counted in `starvedBatches`: the runner kept fewer in flight.
        case batches(size: Int, total: Int, patience: Duration = .seconds(1))
        /// Hold every request until `open()`.
        case untilOpened
    }

    let api = ServerAPI.llamaCpp
    let endpoint = "scripted://test"
    private let slots: Int?
    private let holding: Holding
    private let answer: @Sendable (_ caption: String, _ call: Int) -> String

    private struct State {
        var calls: [String: Int] = [:]
        var totalCalls = 0
        var inFlight = 0
        var maxInFlight = 0
        var held: [Held] = []
        var nextHeldID = 0
        /// Held requests cancelled before they were stored in `held`.
        var cancelledBeforeHeld: Set<Int> = []
        var cancelledCalls = 0
        var batch = 0
        var starvedBatches = 0
        var opened = false
        var heldWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }
    private let state = Mutex(State())

    private struct Held {
        var id: Int
        var continuation: CheckedContinuation<Void, any Error>
    }

    init(
        slots: Int? = nil, holding: Holding = .none,
        answer: @escaping @Sendable (_ caption: String, _ call: Int) -> String
    ) {
        self.slots = slots
        self.holding = holding
        self.answer = answer
    }

    var maxInFlight: Int { state.withLock { $0.maxInFlight } }
    var totalCalls: Int { state.withLock { $0.totalCalls } }
    var starvedBatches: Int { state.withLock { $0.starvedBatches } }
    /// Held requests that ended by cancellation rather than with an answer.
    var cancelledCalls: Int { state.withLock { $0.cancelledCalls } }
    func calls(for caption: String) -> Int { state.withLock { $0.calls[caption, default: 0] } }

    func complete(_ request: CompletionRequest) async throws -> CompletionResponse {
        let caption = Self.caption(of: request.prompt)
        let call = state.withLock { s in
            let call = s.calls[caption, default: 0]
            s.calls[caption] = call + 1
            s.totalCalls += 1
            s.inFlight += 1
            s.maxInFlight = max(s.maxInFlight, s.inFlight)
            return call
        }
        do { try await hold() } catch {
            state.withLock { $0.inFlight -= 1 }
            throw error
        }
        let text = answer(caption, call)
        state.withLock { $0.inFlight -= 1 }
        return CompletionResponse(
            text: text, promptTokens: 10, completionTokens: 5, finishReason: .stop,
            model: "scripted", latency: .milliseconds(1), endpoint: endpoint, api: api)
    }

    func health() async throws -> ServerHealth { .ready }
    func slotCount() async throws -> Int? { slots }
    func countTokens(_ text: String) async throws -> Int {
        throw InferenceError(kind: .unsupported, endpoint: endpoint, detail: "no tokenizer")
    }

    /// Returns once `count` requests are held (`.untilOpened`).
    func waitUntilHeld(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { s in
                if s.held.count >= count { return true }
                s.heldWaiters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Answers the held requests, and every later one at once.
    func open() {
        let held = state.withLock { s in
            s.opened = true
            defer { s.held = [] }
            return s.held
        }
        held.forEach { $0.continuation.resume() }
    }

    private func hold() async throws {
        switch holding {
        case .none: return
        case .untilOpened, .batches: break
        }
        let id = state.withLock { s in
            defer { s.nextHeldID += 1 }
            return s.nextHeldID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                hold(continuation, id: id)
            }
        } onCancel: {
            let cancelled = state.withLock { s -> Held? in
                guard let index = s.held.firstIndex(where: { $0.id == id }) else {
                    s.cancelledBeforeHeld.insert(id)
                    return nil
                }
                s.cancelledCalls += 1
                return s.held.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    private func hold(_ continuation: CheckedContinuation<Void, any Error>, id: Int) {
        var release: [Held] = []
        var waiters: [CheckedContinuation<Void, Never>] = []
        var watch: (batch: Int, patience: Duration)?
        var cancelled = false
        state.withLock { s in
            if s.cancelledBeforeHeld.remove(id) != nil {
                s.cancelledCalls += 1
                cancelled = true
                return
            }
            if s.opened {
                release = [Held(id: id, continuation: continuation)]
                return
            }
            s.held.append(Held(id: id, continuation: continuation))
            let ready = s.heldWaiters.filter { $0.count <= s.held.count }
            s.heldWaiters.removeAll { $0.count <= s.held.count }
            waiters = ready.map(\.continuation)
            if case .batches(let size, let total, let patience) = holding {
                if s.held.count >= size || s.totalCalls >= total {
                    release = s.held
                    s.held = []
                    s.batch += 1
                } else if s.held.count == 1 {
                    watch = (s.batch, patience)
                }
            }
        }
        if cancelled {
            continuation.resume(throwing: CancellationError())
            return
        }
        release.forEach { $0.continuation.resume() }
        waiters.forEach { $0.resume() }
        if let watch {
            Task { [self] in
                try? await Task.sleep(for: watch.patience)
                releaseStarved(batch: watch.batch)
            }
        }
    }

    /// The batch the runner never filled: answer it so the run can end, and count it.
    private func releaseStarved(batch: Int) {
        let held = state.withLock { s -> [Held] in
            guard s.batch == batch, !s.held.isEmpty else { return [] }
            s.starvedBatches += 1
            s.batch += 1
            defer { s.held = [] }
            return s.held
        }
        held.forEach { $0.continuation.resume() }
    }

    /// The caption a LaCLIP prompt asks about: its last line is `CAPTION =>`.
    static func caption(of prompt: String) -> String {
        let last = prompt.split(separator: "\n", omittingEmptySubsequences: true).last.map(String.init) ?? ""
        return last.hasSuffix("=>") ? String(last.dropLast(2)).trimmingCharacters(in: .whitespaces) : last
    }
}
