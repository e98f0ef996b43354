import RealModule

/// Softplus, the "soft ReLU": `softplus(x) = (1/β)·log(1 + exp(β·x))`.
///
/// ```
/// softplus(x)  = β·x > threshold ? x : max(x, 0) + log1p(exp(−β·|x|)) / β
/// softplus′(x) = β·x > threshold ? 1 : sigmoid(β·x)
/// ```
///
/// The options are PyTorch's: `beta` (> 0) sharpens the corner, and above `threshold` the
/// function returns x itself (the two differ by less than exp(−threshold)/β there). The
/// comparison β·x > threshold is made in the working type, as PyTorch does, so the scalar
/// definition and the vector kernels switch at exactly the same inputs.
///
/// The form `max(x, 0) + log1p(exp(−β|x|))/β` never overflows and keeps the tiny positive
/// value for very negative x: softplus(−100) ≈ 3.7e−44 in Double, not 0. β·|x| is rounded
/// with its error folded back into the exponential, so a β that is not a power of two costs
/// no accuracy in the tail.
///
/// Special values: NaN propagates; softplus(−∞) = 0, softplus(+∞) = +∞; softplus(±0) = log 2/β.
public struct Softplus: TranscendentalActivation {
    /// β, the sharpness; softplus tends to ReLU as β → ∞.
    public let beta: Double
    /// Above β·x > threshold the function is linear (returns x).
    public let threshold: Double

    /// PyTorch's defaults: β = 1, threshold = 20.
    public init() {
        beta = 1
        threshold = 20
    }

    /// - Throws: ``ActivationError/invalidParameter(activation:parameter:value:allowed:)``
    ///   when β is not a finite positive number or the threshold is NaN.
    public init(beta: Double = 1, threshold: Double = 20) throws(ActivationError) {
        guard beta > 0, beta.isFinite else {
            throw .invalidParameter(
                activation: "softplus", parameter: "beta", value: beta,
                allowed: "a finite number > 0")
        }
        guard !threshold.isNaN else {
            throw .invalidParameter(
                activation: "softplus", parameter: "threshold", value: threshold,
                allowed: "a number")
        }
        self.beta = beta
        self.threshold = threshold
    }

    /// True where the function is the identity: β·x > threshold in the working type.
    @inlinable
    public func isLinear<T: ActivationScalar>(at x: T) -> Bool {
        T(beta) * x > T(threshold)
    }

    @inlinable
    public func value<T: ActivationScalar, U: BinaryFloatingPoint & Real>(
        _ x: T, evaluatedIn: U.Type
    ) -> U {
        if x.isNaN || isLinear(at: x) { return U(x) }
        let wide = U(x), beta = U(beta)
        let tail = U.log(onePlus: Sigmoid.exponential(-beta, times: wide.magnitude))
        return (wide > 0 ? wide : 0) + tail / beta
    }

    @inlinable
    public func derivative<T: ActivationScalar, U: BinaryFloatingPoint & Real>(
        _ x: T, evaluatedIn: U.Type
    ) -> U {
        if x.isNaN { return U(x) }
        if isLinear(at: x) { return 1 }
        // β·x stays in the wide type: rounding it to T first would move sigmoid(β·x) by
        // |β·x|·ulp, up to 40 ulp in the tail for a β that is not a power of two.
        return Sigmoid.logistic(U(x), beta: U(beta))
    }
}
