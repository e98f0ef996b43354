/// tanh over sixteen Float lanes, within 2 ulp.
///
/// ```
/// tanh(x) = sign(x)·(1 − e)/(1 + e),   e = e^(−2|x|)          for |x| ≥ 0.35
/// tanh(x) = x + x³·P(x²)                                        for |x| < 0.35
/// ```
/// Below 0.35, 1 − e would cancel; a degree-9 odd minimax polynomial (error 2^-31) is used
/// instead. Above, 1 − e = nh + nl is split exactly and nl/(1 + e) added back, so the
/// roundings are e's, 1 + e's and the quotient's: measured over every Float at most 2 ulp.
/// tanh(±0) = ±0, tanh(±∞) = ±1, NaN propagates.
@inline(__always)
func tanh(_ x: FloatVector) -> FloatVector {
    let a = x.magnitude
    let e = ExpPieces(-(a + a)).exponential
    let numerator = 1 - e
    let numeratorLo = (1 - numerator) - e
    let denominator = 1 + e
    let large = fma(numeratorLo, approximateReciprocal(denominator), numerator / denominator)
    let y = large.replacing(with: tanhNearZero(a), where: a .< 0.35)
    return y.withSign(of: x)
}

/// tanh(a) = a + a·z·P(z), z = a², for 0 ≤ a < 0.35.
@inline(__always)
private func tanhNearZero(_ a: FloatVector) -> FloatVector {
    let z = a * a
    let p01 = fma(z, FloatVector(repeating: 0x1.110bf2p-3), FloatVector(repeating: -0x1.55554ep-2))
    let p23 = fma(z, FloatVector(repeating: 0x1.3e43ecp-6), FloatVector(repeating: -0x1.b81ab6p-5))
    return fma(a * z, fma(z * z, p23, p01), a)
}

/// tanh′(x) = 1 − tanh²(x) = 4e/(1 + e)², e = e^(−2|x|), computed from x (no cancellation).
@inline(__always)
func tanhDerivative(_ x: FloatVector) -> FloatVector {
    let a = x.magnitude
    return bellCurve(-(a + a), exponentOffset: 2)
}
