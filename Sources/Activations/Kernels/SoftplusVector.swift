/// Softplus over sixteen Float lanes, within 1 ulp of the correctly rounded result.
///
/// ```
/// softplus(x) = max(x, 0) + log1p(u)/β,    u = e^(−β|x|) ∈ (0, 1]
/// log1p(u)    = 2·atanh(σ/2) = σ + σ³/12 + σ⁵/80 + …,    σ = u / (1 + u/2) ∈ (0, 2/3]
/// ```
///
/// Error budget (result y, relative): the final rounding is ½ ulp, so everything before it
/// must stay well below the other ½. A plain Float exp → log1p chain cannot: its two
/// roundings of u and of log1p already reach 1 ulp near x ∈ [−17, 1]. Here
/// - u comes from ``ExpPieces/unscaledParts`` as hi + lo, error below 2^-28;
/// - σ = σ0 + σlo by a compensated division: σ0 = uhi/d rounded, then the exact residual
///   u − σ0·(1 + u/2) (FMAs; 1 + uhi/2 = d + dl is split exactly) divided by d;
/// - the series tail σ·z·R(z), z = σ², is at most 4 % of σ, so Float arithmetic for it
///   costs < 2^-27; R is a degree-4 minimax polynomial (error 2^-33 relative to σ);
/// - max(x, 0) + σ0 is summed exactly (TwoSum) and the small parts are added last;
/// - for u < 2^-24 the two-term series u − u²/2 is summed unscaled and scaled last.
/// Measured over every Float: at most 1 ulp (0.73 ulp before it is counted in whole steps).
///
/// Float(β)·x > Float(threshold) (compared in Float, as the scalar definition does) returns x;
/// NaN returns x.
@inline(__always)
func softplus<B: BetaScaling>(_ x: FloatVector, beta: B, linearAbove threshold: FloatVector)
    -> FloatVector
{
    let pieces = beta.exponential(ofMinusBetaTimesMagnitudeOf: x)
    let (hi, lo) = pieces.unscaledParts
    let scale = beta.removingOffset(pieces.scale)
    let uHi = hi * scale
    let uLo = lo * scale

    let d = fma(uHi, FloatVector(repeating: 0.5), FloatVector(repeating: 1))
    let dLo = fma(uHi, FloatVector(repeating: 0.5), 1 - d)
    let sigma = uHi / d
    let residual = fma(-sigma, d, uHi) + fma(-sigma, fma(uLo, FloatVector(repeating: 0.5), dLo), uLo)
    let sigmaLo = residual * approximateReciprocal(d)

    // R(z) = 1/12 + z/80 + …, Estrin's scheme for a short dependency chain.
    let z = sigma * sigma
    let z2 = z * z
    let r01 = fma(z, FloatVector(repeating: 0x1.9996a8p-7), FloatVector(repeating: 0x1.555558p-4))
    let r23 = fma(z, FloatVector(repeating: 0x1.b6d6a4p-12), FloatVector(repeating: 0x1.250972p-9))
    let r = fma(z2, fma(z2, FloatVector(repeating: 0x1.f1aee2p-14), r23), r01)
    let (tailHi, tailLo) = beta.dividing(sigma, fma(sigma * z, r, sigmaLo))

    // y = p + tailHi + tailLo with p = max(x, 0); p + tailHi by TwoSum.
    let p = x.replacing(with: 0, where: x .< 0)
    let sum = p + tailHi
    let pPart = sum - tailHi
    let error = (p - pPart) + (tailHi - (sum - pPart))
    var y = sum + (error + tailLo)

    // Far left (x < 0, u < 2^-24): log1p(u) = u − u²/2 to 2^-46, summed before scaling so
    // that the low part keeps its digits even where the result nears the smallest normal.
    let (farHi, farLo) = beta.dividing(hi, fma(-0.5 * uHi, hi, lo))
    y.replace(with: (farHi + farLo) * scale, where: (uHi .< 0x1p-24) .& (x .< 0))
    return y.replacing(with: x, where: beta.isLinearOrNaN(x, threshold: threshold))
}

/// softplus′(x) = sigmoid(β·x), or 1 where softplus is linear.
@inline(__always)
func softplusDerivative<B: BetaScaling>(
    _ x: FloatVector, beta: B, linearAbove threshold: FloatVector
) -> FloatVector {
    sigmoid(x, beta: beta).replacing(with: 1, where: beta.isLinear(x, threshold: threshold))
}

/// Softplus's threshold as the kernels compare it: `Float(threshold)`, clamped to the largest
/// finite Float. The clamp changes nothing for finite β·x and sends β·(+∞) = +∞ to the linear
/// branch, where the non-linear formula would give ∞ − ∞.
@inline(__always)
func linearThreshold(_ softplus: Softplus) -> FloatVector {
    FloatVector(repeating: min(Float(softplus.threshold), .greatestFiniteMagnitude))
}
