import RealModule

/// The scaled exponential linear unit (Klambauer, Unterthiner, Mayr and Hochreiter), the
/// self-normalising member: λ·elu_α with the paper's constants.
///
/// ```
/// selu(x)  = λ·(x > 0 ? x : α·(exp(x) − 1))
/// selu′(x) = x > 0 ? λ : λα·exp(x)
/// λ = 1.0507009873554804934193349852946,   α = 1.6732632423543772848170429916717
/// ```
///
/// λ and λα are rounded to the evaluation type once each, so the scalar definition is λ·x
/// and λα·expm1(x) with the exact constants, rounded once. (PyTorch multiplies by Float(λ),
/// which differs from λ by 1.5e−8 relative.) Networks built from it should start from LeCun
/// normal weights, N(0, 1/fanIn), as the paper requires; see `Initialization`.
///
/// Special values: NaN propagates; selu(+∞) = +∞, selu(−∞) = −λα; selu(±0) = ±0;
/// selu′(0) = λα (the left branch, as PyTorch); selu′(+∞) = λ, selu′(−∞) = 0.
public struct SELU: TranscendentalActivation {
    public init() {}

    /// λ, the scale.
    public static let lambda = 1.0507009873554804934193349852946
    /// α, the negative saturation before scaling.
    public static let alpha = 1.6732632423543772848170429916717

    @inlinable
    public func value<T: ActivationScalar, U: BinaryFloatingPoint & Real>(
        _ x: T, evaluatedIn: U.Type
    ) -> U {
        ELU.exponentialLinear(U(x), scale: Self.scale(), negativeScale: Self.negativeScale())
    }

    @inlinable
    public func derivative<T: ActivationScalar, U: BinaryFloatingPoint & Real>(
        _ x: T, evaluatedIn: U.Type
    ) -> U {
        ELU.exponentialLinearDerivative(U(x), scale: Self.scale(), negativeScale: Self.negativeScale())
    }

    /// λ rounded once to U.
    @inlinable
    static func scale<U: BinaryFloatingPoint>() -> U { 1.0507009873554804934193349852946 }

    /// λα rounded once to U.
    @inlinable
    static func negativeScale<U: BinaryFloatingPoint>() -> U { 1.7580993408473768599402175208123 }
}
