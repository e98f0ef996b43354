internal import CActivationKernels

/// Sixteen Float lanes finished in Double: the kernels that combine an exponential with
/// quotients and products (GELU, gelu:tanh, Mish) take e^t from ``ExpPieces`` as
/// scale·(hi + lo) (relative error below 2^-28), widen it, do the rest in two
/// ``DoubleVector`` halves and round to Float once: at most 1 ulp where nothing cancels.
extension SIMD16 where Scalar == Float {
    /// The low and high eight lanes in Double.
    @inline(__always)
    var widened: (DoubleVector, DoubleVector) {
        (rect_widen_low_f16(self), rect_widen_high_f16(self))
    }

    /// Two Double halves rounded to Float.
    @inline(__always)
    init(narrowing low: DoubleVector, _ high: DoubleVector) {
        self = rect_narrow_d8(low, high)
    }
}

/// e^(t + correction) for t ≤ 0, in two Double halves. Taken times 2^offset in Float and
/// scaled back in Double, so it is exact down to 2^-(126 + offset) before it is flushed to 0
/// (results such as x·e^t stay normal a little beyond where e^t alone is not).
@inline(__always)
func wideExponential(_ t: FloatVector, correction: FloatVector? = nil, exponentOffset: Int32)
    -> (DoubleVector, DoubleVector)
{
    let pieces = ExpPieces(t, exponentOffset: exponentOffset, correction: correction)
    let (hi, lo) = pieces.unscaledParts
    let (hiLow, hiHigh) = hi.widened, (loLow, loHigh) = lo.widened, (sLow, sHigh) = pieces.scale.widened
    let unit = DoubleVector(repeating: 1 / Double(1 << exponentOffset))
    return ((hiLow + loLow) * (sLow * unit), (hiHigh + loHigh) * (sHigh * unit))
}

/// a·b + c with a single rounding, lane by lane.
@inline(__always)
func fma(_ a: DoubleVector, _ b: DoubleVector, _ c: DoubleVector) -> DoubleVector {
    rect_fma_d8(a, b, c)
}

/// n/d within about 2^-28 relative: the approximate reciprocal r and one correction,
/// q + (n − q·d)·r with q = n·r (vdivpd on sixteen lanes cost more than the rest of these
/// kernels). d must be finite and non-zero; without AVX-512, r is exact.
@inline(__always)
func quotient(_ n: DoubleVector, _ d: DoubleVector) -> DoubleVector {
    let r = rect_reciprocal_d8(d)
    let q = n * r
    return fma(fma(-q, d, n), r, q)
}

/// `negative` where x's sign bit is set (−0 and negative NaN included), `otherwise` elsewhere
/// (`replacing(with:where:)` on eight Double lanes stays a lane loop in these kernels).
@inline(__always)
func bySign(_ x: DoubleVector, negative: DoubleVector, otherwise: DoubleVector) -> DoubleVector {
    rect_by_sign_d8(x, negative, otherwise)
}
