/// ELU and SELU over sixteen Float lanes: `x > 0 ? λ·x : λα·expm1(x)`, derivative
/// `x > 0 ? λ : λα·exp(x)` (λ = 1 for ELU, α its parameter).
///
/// expm1(x) for x ≤ 0 comes from ``ExpPieces``: where the reduction leaves k = 0
/// (|x| < 0.04 is inside that) e^x = 1 + q exactly in the maths, so expm1 = q, with the
/// polynomial's relative error; elsewhere e^x = scale·(hi + lo), expm1 = (scale·hi − 1)
/// + scale·lo with scale·hi − 1 rounded once (one FMA), where |expm1| ≥ 0.04 keeps the
/// relative error near 2^-23.
struct ExponentialLinearLanes: UnaryVectorKernel, BinaryVectorKernel {
    let scale: FloatVector
    let negativeScale: FloatVector

    init(scale: Double, negativeScale: Double) {
        self.scale = FloatVector(repeating: Float(scale))
        self.negativeScale = FloatVector(repeating: Float(negativeScale))
    }

    @inline(__always)
    func callAsFunction(_ x: FloatVector) -> FloatVector {
        let pieces = ExpPieces(x.negativeMagnitude)
        let (hi, lo) = pieces.unscaledParts
        let large = fma(hi, pieces.scale, FloatVector(repeating: -1)) + lo * pieces.scale
        let expm1 = large.replacing(with: pieces.q, where: x .> -0.04)
        return (negativeScale * expm1)
            .replacing(with: scale * x, where: x .> 0)
            .replacing(with: x, where: x .== 0)
    }

    @inline(__always)
    func callAsFunction(_ x: FloatVector, _ gradient: FloatVector) -> FloatVector {
        // e^x times 2^8 and λα times 2^-8: λα·e^x stays normal where e^x alone is flushed.
        let scaled = ExpPieces(x.negativeMagnitude, exponentOffset: 8).exponential
        let slope = (negativeScale * FloatVector(repeating: 0x1p-8) * scaled)
            .replacing(with: scale, where: x .> 0)
        return gradient * slope
    }
}
