/// The piecewise-linear members over lane groups, bit for bit equal to their scalar
/// definitions (NaN, ±∞, −0 and subnormals included): each lane is computed by the same
/// comparisons and the same single multiplication as the scalar code.

/// relu(x) = x < 0 ? 0 : x (so relu(−0) = −0, relu(−∞) = 0, NaN stays NaN).
@inline(__always)
func relu<V: KernelVector>(_ x: V) -> V {
    x.replacing(with: 0, where: x .< 0)
}

/// leaky(x) = x < 0 ? α·x : x, for α ≠ 0 (α = 0 is ``relu(_:)``, which avoids 0·(−∞)).
@inline(__always)
func leaky<V: KernelVector>(_ x: V, slope: V) -> V {
    x.replacing(with: x * slope, where: x .< 0)
}

/// The derivative of a piecewise-linear member read off `x` (an input, or an output for the
/// members that allow it): 1 where x > 0, `negative` where x < 0, `zero` at ±0, and x itself
/// where x is NaN.
///
/// | member | negative | zero |
/// |---|---|---|
/// | identity | 1 | 1 |
/// | ReLU | 0 | relu′(0) |
/// | leaky ReLU | α | α |
/// | abs | −1 | 0 |
@inline(__always)
func piecewiseSlope<V: KernelVector>(_ x: V, negative: V.Scalar, zero: V.Scalar) -> V {
    var slope = V(repeating: zero)
    slope.replace(with: negative, where: x .< 0)
    slope.replace(with: 1, where: x .> 0)
    slope.replace(with: x, where: x .!= x)
    return slope
}

struct Copy<Vector: KernelVector>: UnaryVectorKernel {
    @inline(__always)
    func callAsFunction(_ x: Vector) -> Vector { x }
}

struct ReLUForward<Vector: KernelVector>: UnaryVectorKernel {
    @inline(__always)
    func callAsFunction(_ x: Vector) -> Vector { relu(x) }
}

struct LeakyForward<Vector: KernelVector>: UnaryVectorKernel {
    let slope: Vector

    @inline(__always)
    func callAsFunction(_ x: Vector) -> Vector { leaky(x, slope: slope) }
}

struct AbsoluteForward<Vector: KernelVector>: UnaryVectorKernel {
    @inline(__always)
    func callAsFunction(_ x: Vector) -> Vector { x.magnitude }
}

/// gradientInput = gradientOutput · slope(x), the product rounded once as in the scalar
/// reference (so g·0 keeps g's sign and ∞·0 is NaN, exactly as there).
struct SlopeBackward<Vector: KernelVector>: BinaryVectorKernel {
    let negative: Vector.Scalar
    let zero: Vector.Scalar

    @inline(__always)
    func callAsFunction(_ x: Vector, _ gradient: Vector) -> Vector {
        gradient * piecewiseSlope(x, negative: negative, zero: zero)
    }
}

/// The two numbers that describe a piecewise-linear member's derivative (see
/// ``piecewiseSlope(_:negative:zero:)``), converted to the working type as the scalar
/// definitions convert them.
struct PiecewiseSlopes<T: ActivationScalar> {
    let negative: T
    let zero: T

    /// The derivative read off the input.
    init(_ activation: Activation, of type: T.Type) {
        switch activation {
        case .identity: (negative, zero) = (1, 1)
        case .relu(let f): (negative, zero) = (0, T(f.derivativeAtZero))
        case .leakyReLU(let f): (negative, zero) = (T(f.negativeSlope), T(f.negativeSlope))
        case .abs: (negative, zero) = (-1, 0)
        case .softplus, .sigmoid, .tanh:
            preconditionFailure("\(activation) is not piecewise linear")
        }
    }

    /// The derivative read off the output (ReLU with relu′(0) = 0, leaky with α ≥ 0, identity).
    init(fromOutputOf activation: Activation, of type: T.Type) {
        switch activation {
        case .identity: (negative, zero) = (1, 1)
        case .relu: (negative, zero) = (0, 0)
        case .leakyReLU(let f): (negative, zero) = (T(f.negativeSlope), T(f.negativeSlope))
        case .abs, .softplus, .sigmoid, .tanh:
            preconditionFailure("\(activation) needs its input for the backward pass")
        }
    }
}
