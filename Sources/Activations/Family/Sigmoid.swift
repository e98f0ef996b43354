import RealModule

/// The logistic sigmoid, `sigmoid(x) = 1 / (1 + exp(−x))`, the classic baseline.
///
/// ```
/// sigmoid(x)  = n / (1 + e),   e = exp(−|x|),   n = x ≥ 0 ? 1 : e
/// sigmoid′(x) = sigmoid(x)·(1 − sigmoid(x)) = e / (1 + e)²
/// ```
///
/// Only exp of a non-positive number is taken, so nothing overflows, and the left tail keeps
/// its relative accuracy: sigmoid(−80) ≈ 1.8e−35 in Float, not 0. The derivative is computed
/// from x (not from 1 − sigmoid(x), which cancels for large x).
///
/// Special values: NaN propagates; sigmoid(−∞) = 0, sigmoid(+∞) = 1, sigmoid(±0) = ½;
/// sigmoid′(±∞) = 0.
public struct Sigmoid: TranscendentalActivation {
    public init() {}

    @inlinable
    public func value<T: ActivationScalar, U: BinaryFloatingPoint & Real>(
        _ x: T, evaluatedIn: U.Type
    ) -> U {
        Self.logistic(U(x), beta: 1)
    }

    @inlinable
    public func derivative<T: ActivationScalar, U: BinaryFloatingPoint & Real>(
        _ x: T, evaluatedIn: U.Type
    ) -> U {
        Self.bellCurve(-U(x).magnitude, factor: 1)
    }

    /// sigmoid(β·x) = n/(1 + e), e = e^(−β|x|), n = x ≥ 0 ? 1 : e, with 1 + e split exactly
    /// and the quotient corrected for the split's low part.
    @inlinable
    static func logistic<U: BinaryFloatingPoint & Real>(_ x: U, beta: U) -> U {
        let e = exponential(-beta, times: x.magnitude)
        let d = 1 + e
        let dLo = (1 - d) + e
        let quotient = (x >= 0 ? 1 : e) / d
        return quotient.addingProduct(-quotient, dLo / d)
    }

    /// factor·e/(1 + e)² for e = e^t: sigmoid′ with t = −|x|, factor 1; tanh′ with
    /// t = −2|x|, factor 4. (1 + e)² is carried as D + Dl exactly.
    @inlinable
    static func bellCurve<U: BinaryFloatingPoint & Real>(_ t: U, factor: U) -> U {
        let e = U.exp(t)
        let d = 1 + e
        let dLo = (1 - d) + e
        let square = d * d
        let squareLo = (-square).addingProduct(d, d) + 2 * d * dLo
        let quotient = factor * e / square
        return quotient.addingProduct(-quotient, squareLo / square)
    }

    /// e^(scale·a) for a ≥ 0, with scale·a's rounding error folded back in.
    @inlinable
    static func exponential<U: BinaryFloatingPoint & Real>(_ scale: U, times a: U) -> U {
        let t = scale * a
        let e = U.exp(t)
        guard scale != -1, e != 0 else { return e }
        let tLo = (-t).addingProduct(scale, a)
        return e.addingProduct(e, tLo)
    }
}
