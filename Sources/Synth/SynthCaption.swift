import Seeding
import Tensor

/// Caption writers for synthetic scenes.
enum SynthCaption {
    static let fillers = [
        "stock photo", "royalty free", "vector illustration", "clipart", "free download", "hd wallpaper",
        "image", "photo", "#design", "high resolution", "isolated", "icon", "| shutterstock", "pic",
    ]
    static let countWords = [2: ["two", "2", "pair of", "double"], 3: ["three", "3", "trio of", "several"]]

    /// A terse, noisy, web-alt-text-like caption: attributes dropped at random, word order and
    /// casing varied, filler words added.
    static func web(_ scene: SynthScene, generator: inout SeededGenerator) -> String {
        func chance(_ p: Double) -> Bool { Double(generator.next() >> 11) * 0x1p-53 < p }
        func pick<T>(_ options: [T]) -> T { options[Int(generator.next() % UInt64(options.count))] }
        var keepColour = !chance(0.15), keepShape = !chance(0.1)
        if !keepColour && !keepShape { keepColour = true; keepShape = true }
        let colour = SynthScene.colours[scene.colour].name
        let noun = scene.count > 1 ? plural(SynthScene.shapes[scene.shape]) : SynthScene.shapes[scene.shape]
        var core: [String] = []
        if scene.count > 1, !chance(0.3) { core.append(pick(countWords[scene.count]!)) }
        if !chance(0.5) { core.append(scene.large ? pick(["big", "large"]) : pick(["small", "little", "tiny"])) }
        switch (keepColour, keepShape) {
        case (true, true):
            switch generator.next() % 3 {
            case 0: core += [colour, noun]
            case 1: core += [noun, colour]
            default: core += [noun, "in", colour]
            }
        case (true, false): core += [colour, pick(["shape", "thing", "object", "graphic"])]
        default: core.append(noun)
        }
        var parts = [core.joined(separator: " ")]
        if scene.count == 1, chance(0.4) {
            let position = SynthScene.positions[scene.position]
            parts.append(pick([position, "on the \(position)", "at the \(position)"]))
        }
        if chance(0.5) {
            let background = SynthScene.backgrounds[scene.background].name
            parts.append(
                pick(["on \(background) background", "\(background) bg", "on \(background)", "\(background) backdrop"]))
        }
        if chance(0.2) { parts.shuffle(using: &generator) }
        var caption = parts.joined(separator: pick([" ", ", ", " - "]))
        if chance(0.6) {
            let filler = pick(fillers)
            caption = chance(0.5) ? "\(caption) \(filler)" : "\(filler): \(caption)"
        }
        if chance(0.15) { caption = caption.uppercased() } else if chance(0.2) { caption = caption.capitalized }
        return caption
    }

    /// A fluent sentence in one of a few styles, standing in for an LLM rewrite. About 3% are
    /// a single word, as real rewrites sometimes are, so the loader's fallback gets exercised.
    static func rewrite(_ scene: SynthScene, style: Int, generator: inout SeededGenerator) -> String {
        func pick<T>(_ options: [T]) -> T { options[Int(generator.next() % UInt64(options.count))] }
        if generator.next() % 100 < 3 { return pick(["image", "photo", "", "shapes"]) }
        let colour = SynthScene.colours[scene.colour].name
        let shape = SynthScene.shapes[scene.shape]
        let size = scene.large ? "large" : "small"
        let background = SynthScene.backgrounds[scene.background].name
        let counted =
            scene.count == 1
            ? "a \(size) \(colour) \(shape)"
            : "\(["", "", "two", "three"][scene.count]) \(size) \(colour) \(plural(shape))"
        let place = scene.count == 1 ? " on the \(SynthScene.positions[scene.position]) side" : ""
        switch style % 4 {
        case 0: return "A simple picture of \(counted)\(place) against a \(background) background."
        case 1:
            return "There \(scene.count == 1 ? "is" : "are") \(counted)\(place), set on a plain \(background) backdrop."
        case 2: return "\(counted.prefix(1).uppercased() + counted.dropFirst())\(place) on \(background)."
        default: return "A minimal \(background) scene featuring \(counted)\(place)."
        }
    }

    static func plural(_ shape: String) -> String { shape + "s" }
}
