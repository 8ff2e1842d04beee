import Foundation

// GELU, tanh approximation (ViT MLPs in open_clip):
//   y = ½x(1 + tanh u),  u = √(2/π)(x + 0.044715x³)
//   dy/dx = ½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²)
// QuickGELU (OpenAI CLIP, LaCLIP text encoder): y = x·σ(1.702x)
//   dy/dx = σ + 1.702·x·σ(1 − σ)

private let geluScale = Float((2.0 / Double.pi).squareRoot())
private let geluCubic: Float = 0.044715
private let quickGELUSlope: Float = 1.702

/// tanh by Eigen's rational approximation (a 13/6-degree odd rational, within a few ulp of
/// tanhf; ±1 beyond ±7.905 where tanhf rounds to ±1 as well). Branch-free, so the GELU loops
/// vectorise: libm's tanhf, one call per element in forward and again in backward, was ~17% of
/// a training step.
@inline(__always)
func fastTanh(_ value: Float) -> Float {
    let x = min(max(value, -7.90531110763549805), 7.90531110763549805)
    let x2 = x * x
    var p: Float = -2.76076847742355e-16
    p = p * x2 + 2.00018790482477e-13
    p = p * x2 - 8.60467152213735e-11
    p = p * x2 + 5.12229709037114e-08
    p = p * x2 + 1.48572235717979e-05
    p = p * x2 + 6.37261928875436e-04
    p = p * x2 + 4.89352455891786e-03
    var q: Float = 1.19825839466702e-06
    q = q * x2 + 1.18534705686654e-04
    q = q * x2 + 2.26843463243900e-03
    q = q * x2 + 4.89352518554385e-03
    return x * p / q
}

/// eˣ by Cephes' expf reduction (x = n·ln 2 + r, |r| ≤ ½ln 2, a degree-7 polynomial for eʳ,
/// 2ⁿ built in the exponent bits), within 2 ulp of expf over the normal range; clamped to it.
/// Branch- and call-free, so QuickGELU's and softmax's loops vectorise: libm's expf, a call per
/// element, was most of QuickGELU's time in a 2-thread profile.
@inline(__always)
func fastExp(_ value: Float) -> Float {
    let x = min(max(value, -87.33654), 88)
    // Adding 1.5·2²³ rounds x·log₂e to an integer held in the low mantissa bits.
    let shifted = x * 1.44269504088896341 + 12_582_912
    let n = shifted - 12_582_912
    let r = (x - n * 0.693359375) + n * 2.12194440e-4
    var p: Float = 1.9875691500e-4
    p = p * r + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    let er = p * r * r + r + 1
    let twoToN = Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)
    return er * twoToN
}

func geluForward(out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, count: Int) {
    parallelRanges(count, minimumPerRange: elementwiseSplit) { range, _ in
        for i in range {
            let v = x[i]
            out[i] = 0.5 * v * (1 + fastTanh(geluScale * (v + geluCubic * v * v * v)))
        }
    }
}

func geluBackward(dx: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, x: UnsafePointer<Float>, count: Int) {
    parallelRanges(count, minimumPerRange: elementwiseSplit) { range, _ in
        for i in range {
            let v = x[i]
            let t = fastTanh(geluScale * (v + geluCubic * v * v * v))
            let local = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * geluScale * (1 + 3 * geluCubic * v * v)
            dx[i] += dout[i] * local
        }
    }
}

func quickGELUForward(out: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, count: Int) {
    parallelRanges(count, minimumPerRange: elementwiseSplit) { range, _ in
        for i in range {
            let v = x[i]
            out[i] = v / (1 + fastExp(-quickGELUSlope * v))
        }
    }
}

func quickGELUBackward(dx: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, x: UnsafePointer<Float>, count: Int)
{
    parallelRanges(count, minimumPerRange: elementwiseSplit) { range, _ in
        for i in range {
            let v = x[i]
            let s = 1 / (1 + fastExp(-quickGELUSlope * v))
            dx[i] += dout[i] * (s + quickGELUSlope * v * s * (1 - s))
        }
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
