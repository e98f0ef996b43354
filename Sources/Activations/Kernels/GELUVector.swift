/// GELU (erf form) over sixteen Float lanes, from one exponential and Mills' ratio:
///
/// ```
/// Φ(−a) = e^(−a²/2)·M(a),   a = |x|,   M(a) = Φ(−a)·e^(a²/2) = ½·erfcx(a/√2)
/// gelu(x)  = x < 0 ? x·E·M : x − x·E·M,            E = e^(−a²/2)
/// gelu′(x) = x < 0 ? E·D   : 1 − E·D,               D = M − a/√(2π)
/// M(a) ≈ t·P(t − t₀),   t = 4/(4 + a)
/// ```
/// M falls smoothly from ½ at 0 to about 1/(a√(2π)), so the left tail keeps its relative
/// accuracy (nothing is taken as 1 + erf); P is a degree-10 fit on a ∈ [0, 14.5] (relative
/// error 2^-29.7; beyond, E is below the smallest normal Float). a² = h + l is split exactly,
/// E comes from ``wideExponential(_:correction:exponentOffset:)``, and t, P, D and the
/// products are taken in Double (see `WideLanes.swift`). gelu′ cancels near its zero at
/// x ≈ −0.7518, where D's error is small in absolute terms.
struct GELULanes: UnaryVectorKernel, BinaryVectorKernel {
    @inline(__always)
    func callAsFunction(_ x: FloatVector) -> FloatVector {
        let ((x0, x1), (e0, e1)) = (x.widened, Self.gaussian(x))
        return FloatVector(narrowing: Self.value(x0, e0), Self.value(x1, e1))
            .replacing(with: x.saturatedValue, where: saturated(x))
    }

    @inline(__always)
    func callAsFunction(_ x: FloatVector, _ gradient: FloatVector) -> FloatVector {
        let ((x0, x1), (e0, e1)) = (x.widened, Self.gaussian(x))
        return gradient
            * FloatVector(narrowing: Self.derivative(x0, e0), Self.derivative(x1, e1))
                .replacing(with: x.saturatedDerivative, where: saturated(x))
    }

    /// E = e^(−x²/2), x² = h + l split exactly; times 2^3 in Float, so E·D (up to 5.3·E)
    /// stays normal where E alone would be flushed.
    @inline(__always)
    static func gaussian(_ x: FloatVector) -> (DoubleVector, DoubleVector) {
        let h = x * x
        let l = fma(x, x, -h)
        let half = FloatVector(repeating: -0.5)
        return wideExponential(h * half, correction: l * half, exponentOffset: 3)
    }

    /// x·E·M, or x − x·E·M for x ≥ 0 (by the sign bit; both give +0 at +0).
    @inline(__always)
    static func value(_ x: DoubleVector, _ e: DoubleVector) -> DoubleVector {
        let product = x * millsRatio(x.magnitude)
        return bySign(x, negative: product * e, otherwise: fma(-product, e, x))
    }

    /// E·D, or 1 − E·D for x ≥ 0 (by the sign bit, so gelu′(±0) = ½).
    @inline(__always)
    static func derivative(_ x: DoubleVector, _ e: DoubleVector) -> DoubleVector {
        let a = x.magnitude
        let d = fma(-a, DoubleVector(repeating: 0.39894228040143267793994605993438187), millsRatio(a))
        return bySign(x, negative: d * e, otherwise: fma(-d, e, DoubleVector(repeating: 1)))
    }

    /// M(a) = t·P(t − t₀), t = 4/(4 + a), t₀ = the middle of t's range [4/18.5, 1].
    @inline(__always)
    static func millsRatio(_ a: DoubleVector) -> DoubleVector {
        let t = quotient(DoubleVector(repeating: 4), 4 + a)
        let s = t - 0.6081081081081081
        var p = DoubleVector(repeating: -0.011857670773646193)
        p = fma(p, s, DoubleVector(repeating: 0.015604336866568863))
        p = fma(p, s, DoubleVector(repeating: 0.03235909911956857))
        p = fma(p, s, DoubleVector(repeating: -0.032763880335497965))
        p = fma(p, s, DoubleVector(repeating: -0.08924814265701526))
        p = fma(p, s, DoubleVector(repeating: 0.012470857158043504))
        p = fma(p, s, DoubleVector(repeating: 0.26225443294970274))
        p = fma(p, s, DoubleVector(repeating: 0.4829186776844912))
        p = fma(p, s, DoubleVector(repeating: 0.5256981471464655))
        p = fma(p, s, DoubleVector(repeating: 0.40199006713167135))
        p = fma(p, s, DoubleVector(repeating: 0.22671030836589817))
        return t * p
    }
}
