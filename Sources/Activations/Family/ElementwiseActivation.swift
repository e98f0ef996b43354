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

/// What a layer must keep from the forward pass so that the backward pass can run.
public enum SavedForBackward: Sendable, Hashable {
    /// The derivative can be read off the forward output alone (ReLU, leaky ReLU with α ≥ 0,
    /// identity): the layer need not keep its input.
    case output
    /// The derivative needs the forward input.
    case input
}
