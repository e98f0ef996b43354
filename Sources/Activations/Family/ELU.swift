import RealModule

/// The exponential linear unit (Clevert, Unterthiner and Hochreiter), and SELU's shape.
///
/// ```
/// elu(x)  = x > 0 ? x : α·(exp(x) − 1)
/// elu′(x) = x > 0 ? 1 : α·exp(x)
/// ```
///
/// exp(x) − 1 is `expm1`, so the negative side keeps its relative accuracy near 0. The
/// derivative at 0 is the left branch's, α (as PyTorch); for the default α = 1 both sides
/// agree.
///
/// Special values: NaN propagates; elu(+∞) = +∞, elu(−∞) = −α; elu(±0) = ±0 (the left branch
/// gives α·expm1(−0) = −0); elu′(+∞) = 1, elu′(−∞) = 0.
public struct ELU: TranscendentalActivation {
    /// α > 0: elu approaches −α as x → −∞.
    public let alpha: Double

    /// ELU with α = 1.
    public init() {
        alpha = 1
    }

    /// - Throws: ``ActivationError/invalidParameter(activation:parameter:value:allowed:)``
    ///   when α is not a finite number > 0.
    public init(alpha: Double) throws(ActivationError) {
        guard alpha > 0, alpha.isFinite else {
            throw .invalidParameter(
                activation: "elu", parameter: "alpha", value: alpha, allowed: "a finite number > 0")
        }
        self.alpha = alpha
    }

    @inlinable
    public func value<T: ActivationScalar, U: BinaryFloatingPoint & Real>(
        _ x: T, evaluatedIn: U.Type
    ) -> U {
        Self.exponentialLinear(U(x), scale: 1, negativeScale: U(alpha))
    }

    @inlinable
    public func derivative<T: ActivationScalar, U: BinaryFloatingPoint & Real>(
        _ x: T, evaluatedIn: U.Type
    ) -> U {
        Self.exponentialLinearDerivative(U(x), scale: 1, negativeScale: U(alpha))
    }

    /// x > 0 ? λ·x : λα·expm1(x), with λ = `scale` and λα = `negativeScale`.
    @inlinable
    static func exponentialLinear<U: BinaryFloatingPoint & Real>(
        _ x: U, scale: U, negativeScale: U
    ) -> U {
        x > 0 ? scale * x : negativeScale * U.expMinusOne(x)
    }

    /// x > 0 ? λ : λα·exp(x).
    @inlinable
    static func exponentialLinearDerivative<U: BinaryFloatingPoint & Real>(
        _ x: U, scale: U, negativeScale: U
    ) -> U {
        x.isNaN ? x : x > 0 ? scale : negativeScale * U.exp(x)
    }
}
