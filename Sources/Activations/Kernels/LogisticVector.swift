/// sigmoid(t) and sigmoid′(t) = sigmoid(t)·sigmoid(−t), both times 2^8, over sixteen Float
/// lanes, for the SiLU kernel, whose results x·sigmoid(t) stay normal a little beyond where
/// sigmoid(t) alone turns subnormal (and would be flushed).
///
/// ```
/// e = exp(−|t|),   d = 1 + e
/// 2^8·sigmoid(t)  = 2^8·(t ≥ 0 ? 1 : e) / d
/// 2^8·sigmoid′(t) = 2^8·e / d²
/// ```
/// Each result carries e's 0.51 ulp and two or three roundings.
@inline(__always)
func scaledLogistic(_ t: FloatVector) -> (sigmoid: FloatVector, derivative: FloatVector) {
    let scaled = ExpPieces(t.negativeMagnitude, exponentOffset: 8).exponential
    let e = scaled * FloatVector(repeating: 0x1p-8)
    let d = 1 + e
    let sigmoid = scaled.replacing(with: 256, where: t .>= 0) / d
    return (sigmoid, scaled / (d * d))
}

/// Where |x| ≥ 2^14 (and at ±∞) SiLU, GELU (both forms) and Mish are x or −0 (value) and 1 or 0
/// (derivative) to all Float digits; the formulas would meet ∞·0 there.
@inline(__always)
func saturated(_ x: FloatVector) -> SIMDMask<FloatVectorBits> {
    x.magnitude .>= 0x1p14
}

extension SIMD16 where Scalar == Float {
    /// −x (flips the sign bit).
    @inline(__always)
    var negated: FloatVector {
        FloatVector(bits: bits ^ FloatVectorBits(repeating: Int32.min))
    }

    /// x for x > 0, −0 otherwise: the value of SiLU, gelu:tanh and Mish where saturated.
    @inline(__always)
    var saturatedValue: FloatVector {
        FloatVector(repeating: -0.0).replacing(with: self, where: self .> 0)
    }

    /// 1 for x > 0, 0 otherwise: their derivative where saturated.
    @inline(__always)
    var saturatedDerivative: FloatVector {
        FloatVector(repeating: 0).replacing(with: 1, where: self .> 0)
    }
}

/// silu(x) = x·sigmoid(x), silu′(x) = sigmoid(x) + x·sigmoid′(x).
struct SiLULanes: UnaryVectorKernel, BinaryVectorKernel {
    @inline(__always)
    func callAsFunction(_ x: FloatVector) -> FloatVector {
        let (sigmoid, _) = scaledLogistic(x)
        return ((x * sigmoid) * FloatVector(repeating: 0x1p-8))
            .replacing(with: x.saturatedValue, where: saturated(x))
    }

    @inline(__always)
    func callAsFunction(_ x: FloatVector, _ gradient: FloatVector) -> FloatVector {
        let (sigmoid, derivative) = scaledLogistic(x)
        let slope = (fma(x, derivative, sigmoid) * FloatVector(repeating: 0x1p-8))
            .replacing(with: x.saturatedDerivative, where: saturated(x))
        return gradient * slope
    }
}

/// gelu:tanh(x) = x·sigmoid(2z), 2z = k·x·(1 + c·x²) carried as t + tLo (k and c as
/// Float pairs, products split by FMA), and its derivative
/// sigmoid(2z) + x·k·(1 + 3c·x²)·sigmoid′(2z), with e = e^(−|2z|) and everything after it in
/// Double (see `WideLanes.swift`): sigmoid(2z) = (2z ≥ 0 ? 1 : e)/(1 + e), sigmoid′ = e/(1 + e)².
struct GELUTanhLanes: UnaryVectorKernel, BinaryVectorKernel {
    @inline(__always)
    func callAsFunction(_ x: FloatVector) -> FloatVector {
        let ((x0, x1), (e0, e1)) = (x.widened, Self.exponential(x))
        return FloatVector(narrowing: x0 * Self.sigmoid(x0, e0), x1 * Self.sigmoid(x1, e1))
            .replacing(with: x.saturatedValue, where: saturated(x))
    }

    @inline(__always)
    func callAsFunction(_ x: FloatVector, _ gradient: FloatVector) -> FloatVector {
        let ((x0, x1), (e0, e1)) = (x.widened, Self.exponential(x))
        return gradient
            * FloatVector(narrowing: Self.derivative(x0, e0), Self.derivative(x1, e1))
                .replacing(with: x.saturatedDerivative, where: saturated(x))
    }

    /// e = e^(−|t + tLo|) (2z has x's sign).
    @inline(__always)
    static func exponential(_ x: FloatVector) -> (DoubleVector, DoubleVector) {
        let (t, tLo) = argument(x)
        let correction = FloatVector(bits: tLo.bits ^ (t.bits & FloatVectorBits(repeating: Int32.min))).negated
        return wideExponential(t.negativeMagnitude, correction: correction, exponentOffset: 8)
    }

    @inline(__always)
    static func sigmoid(_ x: DoubleVector, _ e: DoubleVector) -> DoubleVector {
        quotient(bySign(x, negative: e, otherwise: DoubleVector(repeating: 1)), 1 + e)
    }

    @inline(__always)
    static func derivative(_ x: DoubleVector, _ e: DoubleVector) -> DoubleVector {
        let d = 1 + e
        let slope = fma(DoubleVector(repeating: 3 * 0.044715) * x, x, DoubleVector(repeating: 1))
            * DoubleVector(repeating: 1.5957691216057307117597842397375)
        return quotient(fma(x * slope, e, bySign(x, negative: e, otherwise: DoubleVector(repeating: 1)) * d), d * d)
    }

    /// t + tLo = (kHi + kLo)·x·(1 + (cHi + cLo)·x²), each product's rounding error kept.
    @inline(__always)
    static func argument(_ x: FloatVector) -> (FloatVector, FloatVector) {
        let kHi = FloatVector(repeating: 0x1.988454p+0), kLo = FloatVector(repeating: -0x1.857936p-25)
        let cHi = FloatVector(repeating: 0x1.6e4e26p-5), cLo = FloatVector(repeating: 0x1.a9003ep-30)
        let h = x * x
        let l = fma(x, x, -h)
        let q = cHi * h
        let qLo = fma(cHi, h, -q) + fma(cHi, l, cLo * h)
        let w = 1 + q
        let qPart = w - 1
        let wLo = ((1 - (w - qPart)) + (q - qPart)) + qLo
        let g = kHi * w
        let gLo = fma(kHi, w, -g) + fma(kHi, wLo, kLo * w)
        let t = g * x
        return (t, fma(g, x, -t) + gLo * x)
    }
}
