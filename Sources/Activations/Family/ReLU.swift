/// The rectified linear unit, `relu(x) = max(0, x)`: leaky ReLU with α = 0.
///
/// ```
/// relu(x)  = x < 0 ? 0 : x
/// relu′(x) = x > 0 ? 1 : 0,   relu′(0) = derivativeAtZero (0 by default)
/// ```
///
/// The derivative at exactly 0 is undefined; by default it is 0, as in PyTorch and
/// TensorFlow. Any value in [0, 1] (a subgradient) may be chosen instead. Only the default
/// can be computed from the forward output alone: a positive `derivativeAtZero` needs the
/// input to tell x = 0 from x < 0.
///
/// Special values: NaN propagates (value and derivative); relu(−∞) = 0, relu(+∞) = +∞;
/// relu(−0) = −0 (the x ≥ 0 branch returns x unchanged), relu′(−0) = relu′(+0).
public struct ReLU: PiecewiseLinearActivation {
    /// The value used for the derivative at x = 0, in [0, 1].
    public let derivativeAtZero: Double

    /// ReLU with the default derivative at 0 (zero).
    public init() {
        derivativeAtZero = 0
    }

    /// ReLU with a chosen derivative at 0.
    /// - Throws: ``ActivationError/invalidParameter(activation:parameter:value:allowed:)``
    ///   when `derivativeAtZero` is not in [0, 1].
    public init(derivativeAtZero: Double) throws(ActivationError) {
        guard derivativeAtZero >= 0, derivativeAtZero <= 1 else {
            throw .invalidParameter(
                activation: "relu", parameter: "derivative_at_zero", value: derivativeAtZero,
                allowed: "a number in [0, 1]")
        }
        self.derivativeAtZero = derivativeAtZero
    }

    @inlinable
    public func value<T: ActivationScalar>(_ x: T) -> T { LeakyReLU.value(x, slope: 0) }

    public var slopeBelowZero: Double { 0 }
    public var slopeAtZero: Double { derivativeAtZero }

    /// What the backward pass needs: the output, unless a non-zero derivative at 0 was chosen.
    public var savedForBackward: SavedForBackward {
        derivativeAtZero == 0 ? .output : .input
    }
}
