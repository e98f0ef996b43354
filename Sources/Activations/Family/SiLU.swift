import RealModule

/// The sigmoid-weighted linear unit (SiLU, also called swish), `silu(x) = x·sigmoid(x)`.
///
/// ```
/// silu(x)  = x·sigmoid(x)
/// silu′(x) = sigmoid(x) + x·sigmoid(x)·sigmoid(−x) = sigmoid(x) + x·e/(1 + e)²,   e = exp(−|x|)
/// ```
///
/// sigmoid(x)·(1 − sigmoid(x)) is taken as the bell curve e/(1 + e)² computed from x, so
/// nothing cancels for large x. silu′ has a zero near x = −1.2785 (silu's minimum); there the
/// two terms cancel, so its error is small in absolute terms, not in ulps.
///
/// Special values: NaN propagates; silu(+∞) = +∞, silu(−∞) = −0 (the limit, from below);
/// silu(±0) = ±0; silu′(+∞) = 1, silu′(−∞) = 0, silu′(±0) = ½.
public struct SiLU: TranscendentalActivation {
    public init() {}

    @inlinable
    public func value<T: ActivationScalar, U: BinaryFloatingPoint & Real>(
        _ x: T, evaluatedIn: U.Type
    ) -> U {
        if x.isInfinite { return x > 0 ? U(x) : -0 }
        let wide = U(x)
        return wide * Sigmoid.logistic(wide, beta: 1)
    }

    @inlinable
    public func derivative<T: ActivationScalar, U: BinaryFloatingPoint & Real>(
        _ x: T, evaluatedIn: U.Type
    ) -> U {
        if x.isInfinite { return x > 0 ? 1 : 0 }
        let wide = U(x)
        return Sigmoid.logistic(wide, beta: 1) + wide * Sigmoid.bellCurve(-wide.magnitude, factor: 1)
    }
}
