/// The demonstrations a draw stands for, in prompt order.
/// Precondition: the draw was made from `source` (every id belongs to it); code holding a draw
/// of uncertain origin should use `MetaPairSource.demonstration(id:)`, which returns nil.
public func demonstrations(of draw: DemonstrationDraw, in source: MetaPairSource) -> [(input: String, output: String)] {
    draw.ids.map { id in
        guard let demonstration = source.demonstration(id: id) else {
            preconditionFailure(
                "demonstration id \(id) is not in source '\(source.name)' (\(source.demonstrationCount) demonstrations)"
            )
        }
        return (demonstration.input, demonstration.output)
    }
}
