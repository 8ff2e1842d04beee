import Foundation

// GELU, tanh approximation (ViT MLPs in open_clip):
//   y = ½x(1 + tanh u),  u = √(2/π)(x + 0.044715x³)
//   dy/dx = ½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²)
// QuickGELU (OpenAI CLIP, LaCLIP text encoder): y = x·σ(1.702x)
//   dy/dx = σ + 1.702·x·σ(1 − σ)

private let geluScale = Float((2.0 / Double.pi).squareRoot())
private let geluCubic: Float = 0.044715
private let quickGELUSlope: Float = 1.702

func geluForward(out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, count: Int) {
    for i in 0..<count {
        let v = x[i]
        out[i] = 0.5 * v * (1 + tanhf(geluScale * (v + geluCubic * v * v * v)))
    }
}

func geluBackward(dx: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, x: UnsafePointer<Float>, count: Int) {
    for i in 0..<count {
        let v = x[i]
        let t = tanhf(geluScale * (v + geluCubic * v * v * v))
        let local = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * geluScale * (1 + 3 * geluCubic * v * v)
        dx[i] += dout[i] * local
    }
}

func quickGELUForward(out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, count: Int) {
    for i in 0..<count {
        let v = x[i]
        out[i] = v / (1 + expf(-quickGELUSlope * v))
    }
}

func quickGELUBackward(dx: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, x: UnsafePointer<Float>, count: Int) {
    for i in 0..<count {
        let v = x[i]
        let s = 1 / (1 + expf(-quickGELUSlope * v))
        dx[i] += dout[i] * (s + quickGELUSlope * v * s * (1 - s))
    }
}

extension Tape {
    /// GELU with the tanh approximation, elementwise.
    public func gelu(_ x: Tensor) -> Tensor {
        let out = output(shape: x.shape, input: x)
        geluForward(out: out.data, x: x.data, count: x.count)
        record(out) { [self] dout in
            geluBackward(dx: gradient(of: x), dout: dout, x: x.data, count: x.count)
        }
        return out
    }

    /// QuickGELU, x·σ(1.702x), elementwise.
    public func quickGELU(_ x: Tensor) -> Tensor {
        let out = output(shape: x.shape, input: x)
        quickGELUForward(out: out.data, x: x.data, count: x.count)
        record(out) { [self] dout in
            quickGELUBackward(dx: gradient(of: x), dout: dout, x: x.data, count: x.count)
        }
        return out
    }
}
