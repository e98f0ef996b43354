/// How the Float kernels apply softplus's β to x and 1/β to the result.
///
/// β = 1 costs nothing (``UnitBeta``). Any other β (``ScaledBeta``) is carried as
/// β = βhi + βlo and 1/β = ihi + ilo in Float pairs, so that β·x and L/β keep the accuracy
/// of the scalar definition (which evaluates them in Double): rounding β·x to Float would
/// change e^(β·x) by |β·x|·2^-24, up to 40 ulp at β·x = −80.
protocol BetaScaling {
    /// e^(−β·|x|)·2^k in pieces, where 2^k (k ≥ 0) keeps results normal that `removingOffset`
    /// takes back out at the end.
    func exponential(ofMinusBetaTimesMagnitudeOf x: FloatVector) -> ExpPieces
    /// value·2^-k (exact unless the result is subnormal).
    func removingOffset(_ value: FloatVector) -> FloatVector
    /// The lanes where softplus is linear or x is NaN: !(Float(β)·x ≤ threshold), one
    /// unordered comparison for both.
    func isLinearOrNaN(_ x: FloatVector, threshold: FloatVector) -> SIMDMask<FloatVectorBits>
    /// The lanes where softplus is linear: Float(β)·x > threshold.
    func isLinear(_ x: FloatVector, threshold: FloatVector) -> SIMDMask<FloatVectorBits>
    /// (hi + lo)/β as a new hi + lo.
    func dividing(_ hi: FloatVector, _ lo: FloatVector) -> (hi: FloatVector, lo: FloatVector)
}

/// β = 1: the identity.
struct UnitBeta: BetaScaling {
    @inline(__always)
    func exponential(ofMinusBetaTimesMagnitudeOf x: FloatVector) -> ExpPieces {
        ExpPieces(x.negativeMagnitude)
    }

    @inline(__always)
    func removingOffset(_ value: FloatVector) -> FloatVector { value }

    @inline(__always)
    func isLinearOrNaN(_ x: FloatVector, threshold: FloatVector) -> SIMDMask<FloatVectorBits> {
        .!(x .<= threshold)
    }

    @inline(__always)
    func isLinear(_ x: FloatVector, threshold: FloatVector) -> SIMDMask<FloatVectorBits> {
        x .> threshold
    }

    @inline(__always)
    func dividing(_ hi: FloatVector, _ lo: FloatVector) -> (hi: FloatVector, lo: FloatVector) {
        (hi, lo)
    }
}

/// Any β whose Float pairs stay normal (2^-100 < β < 2^100).
///
/// For β < 1, softplus's tail u/β is normal a little beyond where u = e^(−β|x|) is: the
/// exponential then carries 2^k, k = ⌈−log2 β⌉, so that u is not flushed early.
struct ScaledBeta: BetaScaling {
    let betaHi: FloatVector
    let betaLo: FloatVector
    let inverseHi: FloatVector
    let inverseLo: FloatVector
    let exponentOffset: Int32
    let offsetInverse: FloatVector

    /// The range where β and 1/β have a normal low part.
    static func accepts(_ beta: Double) -> Bool {
        beta > 0x1p-100 && beta < 0x1p100
    }

    init(_ beta: Double) {
        let hi = Float(beta), inverse = 1 / beta, inverseHi = Float(inverse)
        betaHi = FloatVector(repeating: hi)
        betaLo = FloatVector(repeating: Float(beta - Double(hi)))
        self.inverseHi = FloatVector(repeating: inverseHi)
        inverseLo = FloatVector(repeating: Float(inverse - Double(inverseHi)))
        exponentOffset = beta < 1 ? Int32((-Double.log2(beta)).rounded(.up)) : 0
        offsetInverse = FloatVector(repeating: Float(sign: .plus, exponent: Int(-exponentOffset), significand: 1))
    }

    /// t = −βhi·a rounded, and tLo = −β·a − t passed to the reduced argument (βhi·a + t is
    /// t's exact rounding error, one FMA).
    @inline(__always)
    func exponential(ofMinusBetaTimesMagnitudeOf x: FloatVector) -> ExpPieces {
        let magnitude = x.magnitude
        let t = -(betaHi * magnitude)
        let tLo = -fma(betaLo, magnitude, fma(betaHi, magnitude, t))
        return ExpPieces(t, exponentOffset: exponentOffset, correction: tLo)
    }

    @inline(__always)
    func removingOffset(_ value: FloatVector) -> FloatVector { value * offsetInverse }

    @inline(__always)
    func isLinearOrNaN(_ x: FloatVector, threshold: FloatVector) -> SIMDMask<FloatVectorBits> {
        .!(betaHi * x .<= threshold)
    }

    @inline(__always)
    func isLinear(_ x: FloatVector, threshold: FloatVector) -> SIMDMask<FloatVectorBits> {
        betaHi * x .> threshold
    }

    @inline(__always)
    func dividing(_ hi: FloatVector, _ lo: FloatVector) -> (hi: FloatVector, lo: FloatVector) {
        let product = hi * inverseHi
        let error = fma(hi, inverseHi, -product)
        return (product, error + fma(hi, inverseLo, lo * inverseHi))
    }
}
