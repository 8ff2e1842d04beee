import Seeding
import Tensor

/// Creates named parameters in a fixed order from one generator, so a seed fixes every initial
/// value and the order of `parameters` is stable (checkpoints store tensors in that order).
struct ParameterFactory {
    var generator: SeededGenerator
    private(set) var parameters: [Tensor] = []

    init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }

    mutating func make(_ name: String, _ shape: [Int], _ initializer: Initializer) -> Tensor {
        let tensor = Tensor(parameter: shape, name: name, initializer: initializer, generator: &generator)
        parameters.append(tensor)
        return tensor
    }
}
