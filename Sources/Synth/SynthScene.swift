import CLIPData
import Foundation
import Seeding
import Tensor

/// One procedural scene: 1–3 copies of a coloured shape on a plain background.
struct SynthScene {
    static let shapes = ["circle", "square", "triangle", "diamond", "ring"]
    static let colours: [(name: String, rgb: (Int, Int, Int))] = [
        ("red", (220, 40, 40)), ("green", (40, 170, 60)), ("blue", (40, 80, 220)), ("yellow", (240, 220, 40)),
        ("purple", (140, 60, 180)), ("orange", (245, 140, 30)), ("white", (245, 245, 245)), ("black", (20, 20, 20)),
    ]
    static let backgrounds: [(name: String, rgb: (Int, Int, Int))] = [
        ("white", (250, 250, 250)), ("black", (10, 10, 10)), ("grey", (128, 128, 128)), ("beige", (225, 210, 180)),
        ("navy", (20, 30, 80)), ("pink", (250, 190, 200)),
    ]
    static let positions = ["left", "right", "top", "bottom", "center"]

    var shape: Int
    var colour: Int
    var background: Int
    var large: Bool
    var count: Int
    /// Meaningful when count == 1.
    var position: Int

    var label: String { "\(SynthScene.colours[colour].name) \(SynthScene.shapes[shape])" }

    init(generator: inout SeededGenerator) {
        func pick(_ n: Int) -> Int { Int(generator.next() % UInt64(n)) }
        shape = pick(SynthScene.shapes.count)
        colour = pick(SynthScene.colours.count)
        // A background never matches the shape's colour name (white on white would be invisible).
        repeat {
            background = pick(SynthScene.backgrounds.count)
        } while SynthScene.backgrounds[background].name == SynthScene.colours[colour].name
        large = pick(2) == 0
        count = [1, 1, 2, 3][pick(4)]
        position = pick(SynthScene.positions.count)
    }

    func render(size: Int, generator: inout SeededGenerator) -> RGBImage {
        func uniform(_ low: Double, _ high: Double) -> Double {
            low + Double(generator.next() >> 11) * 0x1p-53 * (high - low)
        }
        let s = Double(size)
        var canvas = [Double](repeating: 0, count: size * size * 3)
        let bg = SynthScene.backgrounds[background].rgb
        // A faint vertical gradient so that backgrounds are not perfectly flat.
        let tilt = uniform(-20, 20)
        for y in 0..<size {
            let shade = tilt * (Double(y) / s - 0.5)
            for x in 0..<size {
                let o = (y * size + x) * 3
                canvas[o] = Double(bg.0) + shade; canvas[o + 1] = Double(bg.1) + shade;
                canvas[o + 2] = Double(bg.2) + shade
            }
        }
        let radius = s * (large ? uniform(0.17, 0.22) : uniform(0.08, 0.11)) * (count > 1 ? 0.8 : 1)
        var centres: [(Double, Double)] = []
        if count == 1 {
            let anchors: [(Double, Double)] = [(0.27, 0.5), (0.73, 0.5), (0.5, 0.27), (0.5, 0.73), (0.5, 0.5)]
            let a = anchors[position]
            centres.append((s * a.0 + uniform(-0.04, 0.04) * s, s * a.1 + uniform(-0.04, 0.04) * s))
        } else {
            // Rejection sampling for copies that do not overlap.
            var attempts = 0
            while centres.count < count && attempts < 200 {
                attempts += 1
                let c = (uniform(radius, s - radius), uniform(radius, s - radius))
                if centres.allSatisfy({ hypot($0.0 - c.0, $0.1 - c.1) > 2.2 * radius }) { centres.append(c) }
            }
        }
        let base = SynthScene.colours[colour].rgb
        for centre in centres {
            let jitter = (uniform(-15, 15), uniform(-15, 15), uniform(-15, 15))
            let rgb = (Double(base.0) + jitter.0, Double(base.1) + jitter.1, Double(base.2) + jitter.2)
            let angle = uniform(-0.3, 0.3)
            for y in max(Int(centre.1 - radius * 1.5), 0)..<min(Int(centre.1 + radius * 1.5) + 1, size) {
                for x in max(Int(centre.0 - radius * 1.5), 0)..<min(Int(centre.0 + radius * 1.5) + 1, size) {
                    let dx = (Double(x) + 0.5 - centre.0) / radius, dy = (Double(y) + 0.5 - centre.1) / radius
                    // Rotate slightly so that squares and triangles are not all axis-aligned.
                    let u = dx * cos(angle) - dy * sin(angle), v = dx * sin(angle) + dy * cos(angle)
                    if covers(u, v) {
                        let o = (y * size + x) * 3
                        canvas[o] = rgb.0; canvas[o + 1] = rgb.1; canvas[o + 2] = rgb.2
                    }
                }
            }
        }
        var pixels = [UInt8](repeating: 0, count: canvas.count)
        for i in canvas.indices { pixels[i] = UInt8(min(max(canvas[i] + uniform(-8, 8), 0), 255).rounded()) }
        return RGBImage(width: size, height: size, pixels: pixels)
    }

    /// Whether the unit-size shape covers the point (u, v) in radius units around its centre.
    private func covers(_ u: Double, _ v: Double) -> Bool {
        switch SynthScene.shapes[shape] {
        case "circle": return u * u + v * v <= 1
        case "square": return abs(u) <= 0.85 && abs(v) <= 0.85
        case "triangle": return v <= 0.75 && abs(u) <= (v + 1) / 1.75 // apex up, base at v = 0.75
        case "diamond": return abs(u) + abs(v) <= 1.1
        default: let r = u * u + v * v; return r <= 1 && r >= 0.36 // ring
        }
    }
}
