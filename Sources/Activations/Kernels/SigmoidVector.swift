/// Sigmoid over sixteen Float lanes, within 2 ulp, and the bell curve e/(1 + e)² that is
/// the derivative of both sigmoid and tanh.
///
/// ```
/// sigmoid(x) = n / (1 + e),   e = e^(−β|x|),   n = x ≥ 0 ? 1 : e
/// ```
/// Only e^t with t ≤ 0 is ever taken, so nothing overflows and the left tail keeps its
/// relative accuracy down to the smallest normal Float (sigmoid(−80) = 1.8e−35, not 0).
/// Error: e within 0.51 ulp, 1 + e and the division one rounding each; measured over every
/// Float at most 2 ulp. β = 1 for sigmoid; softplus′ passes its own β.
@inline(__always)
func sigmoid<B: BetaScaling>(_ x: FloatVector, beta: B) -> FloatVector {
    let e = beta.removingOffset(beta.exponential(ofMinusBetaTimesMagnitudeOf: x).exponential)
    let numerator = e.replacing(with: 1, where: x .>= 0)
    return numerator / (1 + e)
}

/// 2^k·e/(1 + e)² for e = e^t, t ≤ 0: sigmoid′(x) with t = −|x|, k = 0; tanh′(x) with
/// t = −2|x|, k = 2 (4e is normal a little further out than e).
///
/// 1 + e = d + dl is split exactly and (d + dl)² = D + Dl, so the only roundings are e's,
/// the quotient's and a correction below 2^-22 of the result: measured at most 2 ulp.
@inline(__always)
func bellCurve(_ t: FloatVector, exponentOffset k: Int32) -> FloatVector {
    let scaled = ExpPieces(t, exponentOffset: k).exponential
    // Exact but where e is subnormal, and there 1 + e = 1 regardless.
    let e = scaled * FloatVector(repeating: 1 / Float(1 << k))
    let d = 1 + e
    let dLo = (1 - d) + e
    let square = d * d
    let squareLo = fma(d + d, dLo, fma(d, d, -square))
    let quotient = scaled / square
    return fma(-quotient * squareLo, approximateReciprocal(square), quotient)
}

/// sigmoid′(x) = e/(1 + e)², e = e^(−|x|).
@inline(__always)
func sigmoidDerivative(_ x: FloatVector) -> FloatVector {
    bellCurve(x.negativeMagnitude, exponentOffset: 0)
}
