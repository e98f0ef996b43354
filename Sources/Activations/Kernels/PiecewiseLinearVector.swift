/// The piecewise-linear members over lane groups, bit for bit equal to their scalar
/// definitions (NaN, ±∞, −0 and subnormals included): each lane is computed by the same
/// comparisons and the same single multiplication as the scalar code.

struct Copy<Vector: KernelVector>: UnaryVectorKernel {
    @inline(__always)
    func callAsFunction(_ x: Vector) -> Vector { x }
}

struct ReLUForward<Vector: KernelVector>: UnaryVectorKernel {
    @inline(__always)
    func callAsFunction(_ x: Vector) -> Vector { x.rectified }
}

struct LeakyForward<Vector: KernelVector>: UnaryVectorKernel {
    let slope: Vector

    @inline(__always)
    func callAsFunction(_ x: Vector) -> Vector { x.leaky(slope: slope) }
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
        gradient * x.slope(negative: negative, zero: zero)
    }
}

/// The two numbers that describe a piecewise-linear member's derivative, converted to the
/// working type as the scalar definitions convert them:
///
/// | member | negative | zero |
/// |---|---|---|
/// | identity | 1 | 1 |
/// | ReLU | 0 | relu′(0) |
/// | leaky ReLU | α | α |
/// | abs | −1 | 0 |
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
