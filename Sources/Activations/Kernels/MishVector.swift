/// Mish over sixteen Float lanes, from one exponential u = e^(−|x|) (see ``Mish``), with
/// everything after it in Double (see `WideLanes.swift`):
///
/// ```
/// mish(x) = x·n/d,   mish′(x) = (n·d + 4x·m)/d²
///   x ≥ 0:   n = 1 + 2u,      d = n + 2u²,   m = u²·(1 + u)
///   x < 0:   n = u·(u + 2),   d = n + 2,     m = u·(1 + u)
/// ```
/// u is taken times 2^8 in Float, so x·n/d stays normal where u alone would be flushed. The
/// derivative's two terms cancel near its zero (x ≈ −1.19); in Double that costs nothing a
/// Float result can see.
struct MishLanes: UnaryVectorKernel, BinaryVectorKernel {
    @inline(__always)
    func callAsFunction(_ x: FloatVector) -> FloatVector {
        let ((x0, x1), (u0, u1)) = (x.widened, Self.exponential(x))
        return FloatVector(narrowing: Self.value(x0, u0), Self.value(x1, u1))
            .replacing(with: x.saturatedValue, where: saturated(x))
    }

    @inline(__always)
    func callAsFunction(_ x: FloatVector, _ gradient: FloatVector) -> FloatVector {
        let ((x0, x1), (u0, u1)) = (x.widened, Self.exponential(x))
        return gradient
            * FloatVector(narrowing: Self.derivative(x0, u0), Self.derivative(x1, u1))
                .replacing(with: x.saturatedDerivative, where: saturated(x))
    }

    @inline(__always)
    static func exponential(_ x: FloatVector) -> (DoubleVector, DoubleVector) {
        wideExponential(x.negativeMagnitude, exponentOffset: 8)
    }

    /// n and d of the table above (x ≥ 0 by the sign bit, so that mish(−0) = −0·n/d).
    @inline(__always)
    static func parts(_ x: DoubleVector, _ u: DoubleVector) -> (n: DoubleVector, d: DoubleVector) {
        let twoU = u + u
        let n = bySign(x, negative: u * (u + 2), otherwise: 1 + twoU)
        let d = bySign(x, negative: n + 2, otherwise: fma(twoU, u, n))
        return (n, d)
    }

    @inline(__always)
    static func value(_ x: DoubleVector, _ u: DoubleVector) -> DoubleVector {
        let (n, d) = parts(x, u)
        return x * quotient(n, d)
    }

    @inline(__always)
    static func derivative(_ x: DoubleVector, _ u: DoubleVector) -> DoubleVector {
        let (n, d) = parts(x, u)
        let m = bySign(x, negative: u * (1 + u), otherwise: u * u * (1 + u))
        return quotient(fma(n, d, 4 * x * m), d * d)
    }
}
