import RealModule

/// The hyperbolic tangent, the other classic baseline.
///
/// ```
/// tanh(x)  = (exp(x) − exp(−x)) / (exp(x) + exp(−x))
/// tanh′(x) = 1 − tanh²(x) = 4·exp(−2|x|) / (1 + exp(−2|x|))²
/// ```
///
/// The derivative is computed from x (not from 1 − tanh², which cancels for large |x|).
///
/// Special values: NaN propagates; tanh(±∞) = ±1; tanh(−0) = −0 (odd); tanh′(±∞) = 0.
public struct Tanh: TranscendentalActivation {
    public init() {}

    @inlinable
    public func value<T: ActivationScalar, U: BinaryFloatingPoint & Real>(
        _ x: T, evaluatedIn: U.Type
    ) -> U {
        U.tanh(U(x))
    }

    @inlinable
    public func derivative<T: ActivationScalar, U: BinaryFloatingPoint & Real>(
        _ x: T, evaluatedIn: U.Type
    ) -> U {
        Sigmoid.bellCurve(-2 * U(x).magnitude, factor: 4)
    }
}
