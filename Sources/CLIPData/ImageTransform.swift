import Foundation
import Seeding
import Tensor

/// A crop rectangle in source pixels.
public struct CropRegion: Sendable, Equatable {
    public var left: Int, top: Int, width: Int, height: Int
}

/// CLIP's image pipeline: a crop (random-resized for training, central for evaluation),
/// resampling to the model resolution and normalisation with CLIP's channel statistics.
public enum ImageTransform {
    public static let mean: [Float] = [0.48145466, 0.4578275, 0.40821073]
    public static let std: [Float] = [0.26862954, 0.26130258, 0.27577711]

    /// torchvision's RandomResizedCrop parameters: up to 10 tries at an area fraction uniform
    /// in `scale` and a log-uniform aspect ratio in `ratio`; if none fits, a central crop at the
    /// nearest allowed ratio. LaCLIP's CC3M recipe uses scale 0.5–1.0.
    public static func randomResizedCrop(
        width: Int, height: Int, scale: ClosedRange<Double> = 0.5...1.0,
        ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3), generator: inout SeededGenerator
    ) -> CropRegion {
        let area = Double(width * height)
        let logRatio = log(ratio.lowerBound)...log(ratio.upperBound)
        func uniform(_ range: ClosedRange<Double>) -> Double {
            range.lowerBound + Double(generator.next() >> 11) * 0x1p-53 * (range.upperBound - range.lowerBound)
        }
        for _ in 0..<10 {
            let target = area * uniform(scale)
            let aspect = exp(uniform(logRatio))
            let w = Int((target * aspect).squareRoot().rounded())
            let h = Int((target / aspect).squareRoot().rounded())
            if w > 0, h > 0, w <= width, h <= height {
                let top = Int(generator.next() % UInt64(height - h + 1))
                let left = Int(generator.next() % UInt64(width - w + 1))
                return CropRegion(left: left, top: top, width: w, height: h)
            }
        }
        let inputRatio = Double(width) / Double(height)
        var w = width, h = height
        if inputRatio < ratio.lowerBound {
            h = Int((Double(w) / ratio.lowerBound).rounded())
        } else if inputRatio > ratio.upperBound {
            w = Int((Double(h) * ratio.upperBound).rounded())
        }
        return CropRegion(left: (width - w) / 2, top: (height - h) / 2, width: w, height: h)
    }

    /// The central square (what "resize the short side, then centre-crop" keeps).
    public static func centerSquare(width: Int, height: Int) -> CropRegion {
        let side = min(width, height)
        return CropRegion(left: (width - side) / 2, top: (height - side) / 2, width: side, height: side)
    }

    /// Resamples `crop` of `image` to resolution×resolution with a separable triangle filter
    /// widened by the downscale factor (PIL's antialiased bilinear), then writes normalised
    /// channel-major values to `out` (3·resolution² floats).
    public static func resample(
        _ image: RGBImage, crop: CropRegion, resolution: Int, into out: UnsafeMutablePointer<Float>
    ) {
        let columns = FilterWeights(source: crop.width, offset: crop.left, target: resolution)
        let rows = FilterWeights(source: crop.height, offset: crop.top, target: resolution)
        // Horizontal pass over the crop's rows: [crop.height, resolution, 3].
        var horizontal = [Float](repeating: 0, count: crop.height * resolution * 3)
        image.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<crop.height {
                let sourceRow = (crop.top + y) * image.width * 3
                for x in 0..<resolution {
                    var r: Float = 0, g: Float = 0, b: Float = 0
                    let start = columns.starts[x]
                    for (i, weight) in columns.weights[x].enumerated() {
                        let p = sourceRow + (start + i) * 3
                        r += weight * Float(pixels[p]); g += weight * Float(pixels[p + 1]);
                        b += weight * Float(pixels[p + 2])
                    }
                    let o = (y * resolution + x) * 3
                    horizontal[o] = r; horizontal[o + 1] = g; horizontal[o + 2] = b
                }
            }
        }
        let plane = resolution * resolution
        let scale = (1 / (255 * std[0]), 1 / (255 * std[1]), 1 / (255 * std[2]))
        let shift = (mean[0] / std[0], mean[1] / std[1], mean[2] / std[2])
        for y in 0..<resolution {
            let start = rows.starts[y] - crop.top
            for x in 0..<resolution {
                var r: Float = 0, g: Float = 0, b: Float = 0
                for (i, weight) in rows.weights[y].enumerated() {
                    let p = ((start + i) * resolution + x) * 3
                    r += weight * horizontal[p]; g += weight * horizontal[p + 1]; b += weight * horizontal[p + 2]
                }
                let o = y * resolution + x
                out[o] = min(max(r, 0), 255) * scale.0 - shift.0
                out[plane + o] = min(max(g, 0), 255) * scale.1 - shift.1
                out[2 * plane + o] = min(max(b, 0), 255) * scale.2 - shift.2
            }
        }
    }
}

/// Per output pixel: the first source index and normalised weights of a triangle filter.
private struct FilterWeights {
    var starts: [Int] = []
    var weights: [[Float]] = []

    init(source: Int, offset: Int, target: Int) {
        let factor = Double(source) / Double(target)
        let support = max(factor, 1)
        for t in 0..<target {
            let center = (Double(t) + 0.5) * factor
            let first = max(Int((center - support).rounded(.down)), 0)
            let last = min(Int((center + support).rounded(.up)), source - 1)
            var row: [Float] = []
            var total = 0.0
            for s in first...last {
                let w = max(0, 1 - abs((Double(s) + 0.5 - center) / support))
                row.append(Float(w))
                total += w
            }
            if total == 0 {
                row = [1]; total = 1; starts.append(offset + min(Int(center), source - 1))
            } else {
                starts.append(offset + first)
            }
            weights.append(row.map { $0 / Float(total) })
        }
    }
}
