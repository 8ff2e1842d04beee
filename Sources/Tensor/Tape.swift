/// Records operations in execution order so that `backward` can replay their gradient rules
/// in reverse (reverse-mode autodiff), and owns the storage of every activation it makes.
///
/// One training step: `reset()`, build the forward pass through the tape's operations,
/// `backward(loss)`, optimiser step. `reset()` hands all activation buffers back to the arena, so
/// from the second step on a step allocates no new tensor storage.
public final class Tape {
    public let arena: BufferArena
    /// When false (evaluation), operations compute values only: nothing is recorded and no
    /// output requires a gradient.
    public var isRecording = true

    private var backwardRules: [() -> Void] = []
    private var hasRunBackward = false

    public init(arena: BufferArena = BufferArena()) {
        self.arena = arena
    }

    /// Number of recorded operations.
    public var recordedOperations: Int { backwardRules.count }

    /// Frees every activation of the previous step for reuse. Activations made before the reset
    /// become invalid.
    public func reset() {
        backwardRules.removeAll(keepingCapacity: true)
        hasRunBackward = false
        arena.releaseAll()
    }

    /// Runs `body` with recording switched off (no-grad evaluation).
    public func withoutRecording<R>(_ body: () throws -> R) rethrows -> R {
        let previous = isRecording
        isRecording = false
        defer { isRecording = previous }
        return try body()
    }

    // MARK: Inputs

    /// A constant input (images, masks) whose storage comes from the arena.
    public func constant(shape: [Int], values: [Float]) -> Tensor {
        let output = constant(shape: shape) { buffer in
            precondition(
                values.count == buffer.count,
                "constant of shape \(shape) needs \(buffer.count) values, got \(values.count)")
            values.withUnsafeBufferPointer { buffer.baseAddress!.update(from: $0.baseAddress!, count: buffer.count) }
        }
        return output
    }

    /// A constant input filled in place, so a data loader can write straight into arena storage.
    public func constant(shape: [Int], fill: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows -> Tensor {
        let output = Tensor(
            activation: shape, storage: arena.take(count: Tensor.elementCount(shape)), requiresGrad: false)
        try fill(UnsafeMutableBufferPointer(start: output.storage.pointer, count: output.count))
        return output
    }

    // MARK: Backward

    /// Backpropagates from a one-element loss with seed gradient 1.
    public func backward(_ loss: Tensor) {
        precondition(
            loss.count == 1,
            "backward needs a scalar loss; shape is \(loss.shape) (use backward(_:seed:) for a vector-Jacobian product)"
        )
        backward(loss, seed: [1])
    }

    /// Backpropagates a given output gradient (a vector-Jacobian product). Gradients
    /// accumulate into parameters; call `zeroGradients` between steps.
    public func backward(_ output: Tensor, seed: [Float]) {
        precondition(!hasRunBackward, "backward already ran on this tape; reset it first")
        precondition(seed.count == output.count, "seed has \(seed.count) values for an output of \(output.count)")
        guard output.requiresGrad else { return }
        hasRunBackward = true
        let outputGrad = gradient(of: output)
        for i in 0..<output.count { outputGrad[i] += seed[i] }
        for rule in backwardRules.reversed() { rule() }
    }

    // MARK: Helpers for operations

    /// Storage for an operation's output. The output needs a gradient if any input does.
    func output(shape: [Int], inputs: [Tensor]) -> Tensor {
        let needsGrad = isRecording && inputs.contains { $0.requiresGrad }
        return Tensor(
            activation: shape, storage: arena.take(count: Tensor.elementCount(shape)), requiresGrad: needsGrad)
    }

    func output(shape: [Int], input: Tensor) -> Tensor {
        Tensor(
            activation: shape, storage: arena.take(count: Tensor.elementCount(shape)),
            requiresGrad: isRecording && input.requiresGrad)
    }

    /// Scratch storage that lives until the next reset (saved statistics, attention weights).
    func scratch(count: Int) -> UnsafeMutablePointer<Float> {
        arena.take(count: count).pointer
    }

    /// Registers the gradient rule of an operation that produced `output` (held until reset, as
    /// intermediates are often dropped by the caller). The rule runs only if
    /// some gradient reached `output`.
    func record(_ output: Tensor, _ rule: @escaping (_ outputGrad: UnsafeMutablePointer<Float>) -> Void) {
        guard output.requiresGrad else { return }
        backwardRules.append {
            guard let outputGrad = output.grad else { return }
            rule(outputGrad)
        }
    }

    /// The gradient buffer of `tensor`, allocated zeroed from the arena on first use.
    func gradient(of tensor: Tensor) -> UnsafeMutablePointer<Float> {
        if let existing = tensor.grad { return existing }
        let buffer = arena.takeZeroed(count: tensor.count)
        tensor.gradStorage = buffer
        return buffer.pointer
    }

    /// The gradient buffer of an input if it needs one, else nil (the rule skips that term).
    func gradientIfNeeded(_ tensor: Tensor) -> UnsafeMutablePointer<Float>? {
        tensor.requiresGrad ? gradient(of: tensor) : nil
    }
}
