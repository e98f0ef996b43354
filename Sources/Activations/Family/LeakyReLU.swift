/// Leaky ReLU, `leaky(x) = max(0, x) + α·min(0, x)` with α the negative slope.
///
/// ```
/// leaky(x)  = x < 0 ? α·x : x
/// leaky′(x) = x > 0 ? 1 : α,    leaky′(0) = α  (the slope of the left side, as PyTorch)
/// ```
///
/// The *leaky* regime is α ∈ (0, 1): negative inputs keep a small gradient, so a unit never
/// stops learning. Other values are accepted because they name other useful functions:
/// α = 0 is ``ReLU``, α = 1 the identity, α = −1 gives |x| (see ``Absolute``), and PReLU
/// learns slopes anywhere on the real line. NaN or infinite slopes are refused.
///
/// Special values: NaN propagates; leaky(−∞) = −∞·sign(α) (0 when α = 0); leaky(−0) = −0.
/// The backward pass works from the output alone when α ≥ 0 (the output's sign tells the
/// side); with α < 0 it needs the input.
public struct LeakyReLU: ElementwiseActivation {
    /// α, the slope for negative inputs.
    public let negativeSlope: Double

    /// The slope PyTorch and Keras use by default, 0.01.
    public static let defaultNegativeSlope = 0.01

    /// Leaky ReLU with the default slope, 0.01.
    public init() {
        negativeSlope = LeakyReLU.defaultNegativeSlope
    }

    /// - Throws: ``ActivationError/invalidParameter(activation:parameter:value:allowed:)``
    ///   when `negativeSlope` is NaN or infinite.
    public init(negativeSlope: Double) throws(ActivationError) {
        guard negativeSlope.isFinite else {
            throw .invalidParameter(
                activation: "leaky", parameter: "negative slope α", value: negativeSlope,
                allowed: "a finite number; the leaky regime is 0 < α < 1")
        }
        self.negativeSlope = negativeSlope
    }

    @inlinable
    public func value<T: ActivationScalar>(_ x: T) -> T {
        // α = 0 must give relu(−∞) = 0, not 0·(−∞) = NaN.
        guard x < 0 else { return x }
        return negativeSlope == 0 ? 0 : T(negativeSlope) * x
    }

    @inlinable
    public func derivative<T: ActivationScalar>(_ x: T) -> T {
        if x > 0 { return 1 }
        return x.isNaN ? x : T(negativeSlope)
    }

    /// What the backward pass needs: the output when α ≥ 0, the input when α < 0.
    public var savedForBackward: SavedForBackward {
        negativeSlope >= 0 ? .output : .input
    }

    /// leaky′ read off the forward output y = leaky(x); valid when α ≥ 0.
    @inlinable
    public func derivative<T: ActivationScalar>(fromOutput y: T) -> T {
        y > 0 ? 1 : (y.isNaN ? y : T(negativeSlope))
    }
}
