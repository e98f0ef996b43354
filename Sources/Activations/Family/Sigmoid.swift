import RealModule

/// The logistic sigmoid, `sigmoid(x) = 1 / (1 + exp(−x))`, the classic baseline.
///
/// ```
/// sigmoid(x)  = x ≥ 0 ? 1 / (1 + exp(−x)) : exp(x) / (1 + exp(x))
/// sigmoid′(x) = sigmoid(x)·(1 − sigmoid(x)) = exp(−|x|) / (1 + exp(−|x|))²
/// ```
///
/// Both branches only ever take exp of a non-positive number, so nothing overflows, and the
/// left tail keeps its relative accuracy: sigmoid(−80) ≈ 1.8e−35 in Float, not 0. The
/// derivative is computed from x (not from 1 − sigmoid(x), which cancels for large x).
///
/// Special values: NaN propagates; sigmoid(−∞) = 0, sigmoid(+∞) = 1, sigmoid(±0) = ½;
/// sigmoid′(±∞) = 0.
public struct Sigmoid: ElementwiseActivation {
    public init() {}

    @inlinable
    public func value<T: ActivationScalar>(_ x: T) -> T {
        value(x, evaluatedIn: T.Wide.self)
    }

    /// sigmoid(x) evaluated in `Wide` and rounded once to T.
    @inlinable
    func value<T: ActivationScalar, Wide: BinaryFloatingPoint & Real>(
        _ x: T, evaluatedIn: Wide.Type
    ) -> T {
        T(Self.logistic(Wide(x)))
    }

    /// 1/(1 + e^(−t)) in the type of t, without overflow.
    @inlinable
    static func logistic<Wide: BinaryFloatingPoint & Real>(_ t: Wide) -> Wide {
        if t >= 0 {
            let e = Wide.exp(-t)
            return 1 / (1 + e)
        }
        let e = Wide.exp(t)
        return e / (1 + e)
    }

    @inlinable
    public func derivative<T: ActivationScalar>(_ x: T) -> T {
        let e = T.Wide.exp(-T.Wide(x).magnitude)
        return T(e / ((1 + e) * (1 + e)))
    }
}
