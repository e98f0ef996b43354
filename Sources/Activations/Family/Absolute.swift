/// The absolute value, `abs(x) = |x|`, which is leaky ReLU with α = −1.
///
/// ```
/// abs(x)  = |x|
/// abs′(x) = sign(x),   abs′(0) = 0  (as PyTorch)
/// ```
///
/// As a number, abs(x) equals leaky(x) with α = −1 everywhere; the two differ only in
/// conventions: abs clears the sign of −0 (IEEE `abs`) and takes the derivative at 0 as 0,
/// where the leaky convention takes the left slope −1.
public struct Absolute: PiecewiseLinearActivation {
    public init() {}

    @inlinable
    public func value<T: ActivationScalar>(_ x: T) -> T { x.magnitude }

    public var slopeBelowZero: Double { -1 }
    public var slopeAtZero: Double { 0 }
}
