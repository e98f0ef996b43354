/// Leaky ReLU, `leaky(x) = max(0, x) + α·min(0, x)` with α the negative slope.
///
/// ```
/// leaky(x)  = x < 0 ? α·x : x       (α = 0: 0, not 0·(−∞) = NaN)
/// leaky′(x) = x > 0 ? 1 : α,    leaky′(0) = α  (the slope of the left side, as PyTorch)
/// ```
///
/// The *leaky* regime is α ∈ (0, 1): negative inputs keep a small gradient, so a unit never
/// stops learning. Other values are accepted because they name other useful functions:
/// α = 0 is ``ReLU``, α = 1 the identity, α = −1 gives |x| (see ``Absolute``), and PReLU
/// learns slopes anywhere on the real line. NaN or infinite slopes are refused.
///
/// ``value(_:slope:)`` and ``derivative(_:negative:zero:)`` are the piecewise-linear lane
/// itself: ReLU, the identity, abs′ and PReLU (a slope per unit) are written with them, and
/// the vector kernels and the fixed-point requantiser are tested lane for lane against them.
///
/// Special values: NaN propagates; leaky(−∞) = −∞·sign(α) (0 when α = 0); leaky(−0) = −0.
/// The backward pass works from the output alone when α ≥ 0 (the output's sign tells the
/// side); with α < 0 it needs the input.
public struct LeakyReLU: PiecewiseLinearActivation {
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
    public func value<T: ActivationScalar>(_ x: T) -> T { Self.value(x, slope: T(negativeSlope)) }

    public var slopeBelowZero: Double { negativeSlope }
    public var slopeAtZero: Double { negativeSlope }

    /// What the backward pass needs: the output when α ≥ 0, the input when α < 0.
    public var savedForBackward: SavedForBackward {
        negativeSlope >= 0 ? .output : .input
    }

    /// `x < 0 ? slope·x : x`, where a zero slope gives 0 (so 0 for x = −∞, not NaN).
    @inlinable
    public static func value<T: BinaryFloatingPoint>(_ x: T, slope: T) -> T {
        guard x < 0 else { return x }
        return slope == 0 ? 0 : slope * x
    }

    /// The derivative of a member that is linear with slope 1 for x > 0: `negative` for x < 0,
    /// `zero` at ±0, and x itself (NaN) for NaN.
    @inlinable
    public static func derivative<T: BinaryFloatingPoint>(_ x: T, negative: T, zero: T) -> T {
        if x > 0 { return 1 }
        if x < 0 { return negative }
        return x.isNaN ? x : zero
    }
}

/// A member that is the identity for x > 0 and linear for x < 0: its derivative is two
/// numbers, the slope below zero and the value taken at ±0.
public protocol PiecewiseLinearActivation: ElementwiseActivation {
    /// f′(x) for x < 0.
    var slopeBelowZero: Double { get }
    /// f′(±0), the convention at the kink.
    var slopeAtZero: Double { get }
}

extension PiecewiseLinearActivation {
    @inlinable
    public func derivative<T: ActivationScalar>(_ x: T) -> T {
        LeakyReLU.derivative(x, negative: T(slopeBelowZero), zero: T(slopeAtZero))
    }

    /// f′ read off the forward output y = f(x), valid when `savedForBackward` is `.output`:
    /// then y has x's side, and y = ±0 only where f′ is the slope below zero.
    @inlinable
    public func derivative<T: ActivationScalar>(fromOutput y: T) -> T {
        LeakyReLU.derivative(y, negative: T(slopeBelowZero), zero: T(slopeBelowZero))
    }
}
