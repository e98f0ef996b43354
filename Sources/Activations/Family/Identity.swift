/// The identity, `identity(x) = x` (leaky ReLU with α = 1), for output layers and tests. Its
/// derivative is 1 everywhere (NaN for NaN).
public struct Identity: PiecewiseLinearActivation {
    public init() {}

    @inlinable
    public func value<T: ActivationScalar>(_ x: T) -> T { x }

    public var slopeBelowZero: Double { 1 }
    public var slopeAtZero: Double { 1 }
}
