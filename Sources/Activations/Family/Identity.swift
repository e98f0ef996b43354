/// The identity, `identity(x) = x`, for output layers and tests. Its derivative is 1
/// everywhere (NaN for NaN).
public struct Identity: ElementwiseActivation {
    public init() {}

    @inlinable
    public func value<T: ActivationScalar>(_ x: T) -> T { x }

    @inlinable
    public func derivative<T: ActivationScalar>(_ x: T) -> T {
        x.isNaN ? x : 1
    }
}
