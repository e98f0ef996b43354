import RealModule

/// The floating-point types the family is defined for: `Float` and `Double`.
///
/// Each type names a wider type in which the scalar definitions of the transcendental
/// members (softplus, sigmoid, tanh) are evaluated before rounding back, so that the scalar
/// definitions are within one ulp of the correctly rounded result: `Float` is evaluated in
/// `Double`, `Double` in `Float80` (x86-64 Linux).
public protocol ActivationScalar: BinaryFloatingPoint, Real, SIMDScalar, Sendable, Codable
where Self.RawSignificand: FixedWidthInteger {
    /// The type the transcendental scalar definitions are evaluated in.
    associatedtype Wide: BinaryFloatingPoint & Real
}

extension Float: ActivationScalar {
    public typealias Wide = Double
}

#if arch(x86_64) && !os(Windows) && !os(Android)
extension Double: ActivationScalar {
    public typealias Wide = Float80
}
#else
extension Double: ActivationScalar {
    public typealias Wide = Double
}
#endif
