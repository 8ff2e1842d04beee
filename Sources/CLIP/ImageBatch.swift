/// Normalised images, channel-major (3 × resolution × resolution each), one after another.
public struct ImageBatch: Sendable, Equatable {
    public var count: Int
    public var resolution: Int
    public var pixels: [Float]

    public init(count: Int, resolution: Int, pixels: [Float]) {
        precondition(
            pixels.count == count * 3 * resolution * resolution,
            "image batch of \(count) at \(resolution)px needs \(count * 3 * resolution * resolution) values, got \(pixels.count)"
        )
        self.count = count
        self.resolution = resolution
        self.pixels = pixels
    }
}

extension ImageBatch {
    /// Rearranges CHW images into rows of flattened patches [B, N, 3·P·P], each patch in a
    /// convolution kernel's order (channel, row, column), patches in raster order.
    func writePatches(patchSize p: Int, into out: UnsafeMutableBufferPointer<Float>) {
        let side = resolution / p, plane = resolution * resolution, patchValues = 3 * p * p
        precondition(out.count == count * side * side * patchValues)
        pixels.withUnsafeBufferPointer { source in
            var o = 0
            for image in 0..<count {
                let base = image * 3 * plane
                for py in 0..<side {
                    for px in 0..<side {
                        for channel in 0..<3 {
                            for row in 0..<p {
                                let start = base + channel * plane + (py * p + row) * resolution + px * p
                                for column in 0..<p { out[o + column] = source[start + column] }
                                o += p
                            }
                        }
                    }
                }
            }
        }
    }
}
