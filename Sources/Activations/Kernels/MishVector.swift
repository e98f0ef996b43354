/// Mish over sixteen Float lanes, from one exponential u = e^(−|x|) (see ``Mish``):
///
/// ```
/// x ≥ 0:  d = 1 + 2u + 2u²,   mish = x − x·(2u²/d),          mish′ = n/d + 4x·u²(1 + u)/d²
/// x < 0:  n = u(u + 2),  d = n + 2,   mish = x·n/d,          mish′ = n/d + 4x·u(1 + u)/d²
/// ```
/// The derivative is (n·d + 4x·m)/d², the cancelling sum taken in one FMA.
/// On the right the value is x minus a correction of at most 0.4·x, by one FMA; on the left
/// u is taken times 2^8, so x·n/d stays normal where u alone would be flushed.
struct MishLanes: UnaryVectorKernel, BinaryVectorKernel {
    @inline(__always)
    func callAsFunction(_ x: FloatVector) -> FloatVector {
        let (u, scaled) = Self.exponential(x)
        let twoU2 = (u + u) * u
        let right = fma(-x, twoU2 / (fma(u, FloatVector(repeating: 2), FloatVector(repeating: 1)) + twoU2), x)
        let n = fma(scaled, u, scaled + scaled)
        let left = x * (n / fma(u, u + 2, FloatVector(repeating: 2))) * FloatVector(repeating: 0x1p-8)
        return left.replacing(with: right, where: x .>= 0)
            .replacing(with: x.saturatedValue, where: saturated(x))
            .replacing(with: x, where: x .== 0)
    }

    @inline(__always)
    func callAsFunction(_ x: FloatVector, _ gradient: FloatVector) -> FloatVector {
        let (u, scaled) = Self.exponential(x)
        // x ≥ 0, in units of 1; x < 0, in units of 2^-8.
        let one = FloatVector(repeating: 1), scale = FloatVector(repeating: 256)
        let nRight = fma(u, FloatVector(repeating: 2), one)
        let u2 = u * u
        let dRight = fma(u2, FloatVector(repeating: 2), nRight)
        let mRight = u2 * (1 + u)
        let dLeft = fma(u, u + 2, FloatVector(repeating: 2))
        let nLeft = fma(scaled, u, scaled + scaled)
        let mLeft = scaled * (1 + u)
        let right = x .>= 0
        let n = nLeft.replacing(with: nRight * scale, where: right)
        let d = dLeft.replacing(with: dRight, where: right)
        let m = mLeft.replacing(with: mRight * scale, where: right)
        // (n·d + 4x·m)/d²: the two terms cancel near mish′'s zero, so they meet in one FMA.
        let slope = (fma(n, d, 4 * x * m) / (d * d) * FloatVector(repeating: 0x1p-8))
            .replacing(with: x.saturatedDerivative, where: saturated(x))
        return gradient * slope
    }

    /// u = e^(−|x|) and 2^8·u.
    @inline(__always)
    static func exponential(_ x: FloatVector) -> (FloatVector, FloatVector) {
        let scaled = ExpPieces(x.negativeMagnitude, exponentOffset: 8).exponential
        return (scaled * FloatVector(repeating: 0x1p-8), scaled)
    }
}
