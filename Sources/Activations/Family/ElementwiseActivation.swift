import RealModule

/// A member of the family: a scalar function and its derivative, defined side by side.
///
/// The definitions are the library's meaning of each activation. The vectorised kernels,
/// the layers, the 8-bit lookup tables and the plots are all derived from them and tested
/// against them.
public protocol ElementwiseActivation: Hashable, Sendable {
    /// The activation's value f(x).
    func value<T: ActivationScalar>(_ x: T) -> T
    /// The derivative f′(x), with the conventions each type documents at kinks.
    func derivative<T: ActivationScalar>(_ x: T) -> T
}

/// A member whose definition is a formula evaluated in a wider type and rounded once.
///
/// The formula is written once, generic over the type it is evaluated in: the definitions
/// (``value(_:)``, ``derivative(_:)``) evaluate it in ``ActivationScalar/Wide`` (Float in
/// Double, Double in Float80), so they are within 1 ulp of the correctly rounded result; the
/// Double kernels evaluate it in Double lane by lane; the accuracy sweep reads the unrounded
/// Double value for every Float. Decisions made on x itself (NaN, softplus's threshold) are
/// made in x's type, so every evaluation type switches at the same inputs.
public protocol TranscendentalActivation: ElementwiseActivation {
    /// f(x) computed in U and not rounded to T.
    func value<T: ActivationScalar, U: BinaryFloatingPoint & Real>(_ x: T, evaluatedIn: U.Type) -> U
    /// f′(x) computed in U and not rounded to T.
    func derivative<T: ActivationScalar, U: BinaryFloatingPoint & Real>(_ x: T, evaluatedIn: U.Type) -> U
}

extension TranscendentalActivation {
    @inlinable
    public func value<T: ActivationScalar>(_ x: T) -> T { T(value(x, evaluatedIn: T.Wide.self)) }

    @inlinable
    public func derivative<T: ActivationScalar>(_ x: T) -> T { T(derivative(x, evaluatedIn: T.Wide.self)) }
}

/// What a layer must keep from the forward pass so that the backward pass can run.
public enum SavedForBackward: Sendable, Hashable {
    /// The derivative can be read off the forward output alone (ReLU, leaky ReLU with α ≥ 0,
    /// identity): the layer need not keep its input.
    case output
    /// The derivative needs the forward input.
    case input
}
