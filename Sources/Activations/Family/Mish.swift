import RealModule

/// Mish (Misra), `mish(x) = x·tanh(softplus(x))`.
///
/// With u = exp(−|x|), tanh(log(1 + eˣ)) is a ratio of polynomials in u, so one exponential
/// of a non-positive number gives both the value and the derivative, and nothing overflows:
///
/// ```
/// mish(x)  = x·r,                         r = tanh(softplus(x)) = n / d
/// mish′(x) = r + x·sech²(softplus(x))·sigmoid(x) = r + 4x·m / d²
///   x ≥ 0:   n = 1 + 2u,      d = n + 2u²,   m = u²·(1 + u)
///   x < 0:   n = u·(u + 2),   d = n + 2,     m = u·(1 + u)
/// ```
///
/// mish′ has a zero near x = −1.1924 (mish's minimum); there the two terms cancel, so its
/// error is small in absolute terms, not in ulps.
///
/// Special values: NaN propagates; mish(+∞) = +∞, mish(−∞) = −0 (the limit, from below);
/// mish(±0) = ±0; mish′(+∞) = 1, mish′(−∞) = 0, mish′(±0) = tanh(log 2) = 0.6.
public struct Mish: TranscendentalActivation {
    public init() {}

    @inlinable
    public func value<T: ActivationScalar, U: BinaryFloatingPoint & Real>(
        _ x: T, evaluatedIn: U.Type
    ) -> U {
        if x.isInfinite { return x > 0 ? U(x) : -0 }
        let wide = U(x)
        let (n, d, _) = Self.parts(wide)
        return wide * (n / d)
    }

    @inlinable
    public func derivative<T: ActivationScalar, U: BinaryFloatingPoint & Real>(
        _ x: T, evaluatedIn: U.Type
    ) -> U {
        if x.isInfinite { return x > 0 ? 1 : 0 }
        let wide = U(x)
        let (n, d, m) = Self.parts(wide)
        return n / d + wide * (4 * (m / d) / d)
    }

    /// n, d and m of the table above.
    @inlinable
    static func parts<U: BinaryFloatingPoint & Real>(_ x: U) -> (n: U, d: U, m: U) {
        let u = U.exp(-x.magnitude)
        if x < 0 {
            let n = u * (u + 2)
            return (n, n + 2, u * (1 + u))
        }
        let u2 = u * u
        let n = 1 + 2 * u
        return (n, n + 2 * u2, u2 * (1 + u))
    }
}
