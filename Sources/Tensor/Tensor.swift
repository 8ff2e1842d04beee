import Seeding

/// A Float32 tensor with contiguous row-major storage.
///
/// Parameters own their storage and gradient for the whole run. Activations are made by a
/// `Tape`, borrow storage from its arena and become invalid when the tape is reset; touching
/// one afterwards traps instead of silently reading another step's numbers.
/// Not thread-safe: a tensor belongs to one thread (the training loop).
public final class Tensor {
    public enum Kind: Sendable, Equatable { case parameter, activation }

    public let shape: [Int]
    public let count: Int
    public let kind: Kind
    public var name: String
    /// Whether AdamW applies decoupled weight decay to this parameter. CLIP decays weight
    /// matrices and embeddings, not gains, biases or the logit scale; the default follows the
    /// open_clip rule (rank ≥ 2).
    public var decays: Bool
    public internal(set) var requiresGrad: Bool

    let storage: FloatBuffer
    private let storageGeneration: Int
    var gradStorage: FloatBuffer?

    /// Creates a parameter with its own storage and a zeroed gradient.
    public init(parameter shape: [Int], name: String = "", values: [Float], decays: Bool? = nil) {
        let count = Tensor.elementCount(shape)
        precondition(
            values.count == count, "parameter \(name) of shape \(shape) needs \(count) values, got \(values.count)")
        self.shape = shape
        self.count = count
        self.kind = .parameter
        self.name = name
        self.decays = decays ?? (shape.count >= 2)
        self.requiresGrad = true
        storage = FloatBuffer(capacity: count)
        storageGeneration = storage.generation
        values.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: count) }
        let grad = FloatBuffer(capacity: count)
        grad.zero()
        gradStorage = grad
    }

    /// Creates a parameter filled by an initialiser drawing from `generator`.
    public convenience init(
        parameter shape: [Int], name: String = "", initializer: Initializer,
        generator: inout SeededGenerator, decays: Bool? = nil
    ) {
        let values = initializer.values(count: Tensor.elementCount(shape), generator: &generator)
        self.init(parameter: shape, name: name, values: values, decays: decays)
    }

    init(activation shape: [Int], storage: FloatBuffer, requiresGrad: Bool) {
        self.shape = shape
        self.count = Tensor.elementCount(shape)
        precondition(storage.capacity == count)
        self.kind = .activation
        self.name = ""
        self.decays = false
        self.requiresGrad = requiresGrad
        self.storage = storage
        self.storageGeneration = storage.generation
    }

    static func elementCount(_ shape: [Int]) -> Int {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        return shape.reduce(1, *)
    }

    public var rank: Int { shape.count }

    /// False once the tape that made this activation has been reset.
    public var isAlive: Bool { storage.generation == storageGeneration }

    var data: UnsafeMutablePointer<Float> {
        precondition(isAlive, "tensor \(shape) used after its tape was reset")
        return storage.pointer
    }

    var grad: UnsafeMutablePointer<Float>? {
        precondition(isAlive, "tensor \(shape) used after its tape was reset")
        return gradStorage?.pointer
    }

    // MARK: Reading and writing values

    public var scalars: [Float] {
        get { Array(UnsafeBufferPointer(start: data, count: count)) }
        set {
            precondition(newValue.count == count, "expected \(count) values, got \(newValue.count)")
            newValue.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
        }
    }

    /// The accumulated gradient, or nil for a tensor no gradient reached.
    public var gradient: [Float]? {
        guard let grad else { return nil }
        return Array(UnsafeBufferPointer(start: grad, count: count))
    }

    /// The single value of a one-element tensor (a loss).
    public var item: Float {
        precondition(count == 1, "item needs a one-element tensor, shape is \(shape)")
        return data[0]
    }

    public subscript(flat index: Int) -> Float {
        get { precondition(index >= 0 && index < count); return data[index] }
        set { precondition(index >= 0 && index < count); data[index] = newValue }
    }

    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: data, count: count))
    }

    public func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R
    {
        try body(UnsafeMutableBufferPointer(start: data, count: count))
    }

    /// Read and write access to a parameter's gradient (clipping, inspection).
    public func withUnsafeMutableGradient<R>(_ body: (UnsafeMutableBufferPointer<Float>?) throws -> R) rethrows -> R {
        try body(grad.map { UnsafeMutableBufferPointer(start: $0, count: count) })
    }

    /// Sets a parameter's gradient to zero (activations get fresh zeroed gradients each step).
    public func zeroGradient() {
        gradStorage?.zero()
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let label = name.isEmpty ? "" : "\(name) "
        return "Tensor(\(label)\(kind) \(shape))"
    }
}

/// How a parameter's initial values are drawn.
public enum Initializer: Sendable, Equatable {
    case zeros
    case ones
    case constant(Float)
    case normal(std: Float)
    case uniform(bound: Float)

    func values(count: Int, generator: inout SeededGenerator) -> [Float] {
        switch self {
        case .zeros: return [Float](repeating: 0, count: count)
        case .ones: return [Float](repeating: 1, count: count)
        case .constant(let value): return [Float](repeating: value, count: count)
        case .normal(let std): return (0..<count).map { _ in generator.nextNormal() * std }
        case .uniform(let bound): return (0..<count).map { _ in (generator.nextUnitFloat() * 2 - 1) * bound }
        }
    }
}

/// Zeroes every parameter's gradient; call once per step before `backward`.
public func zeroGradients(_ parameters: [Tensor]) {
    for parameter in parameters { parameter.zeroGradient() }
}
