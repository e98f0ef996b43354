/// The piecewise-linear members over lane groups, bit for bit equal to their definitions
/// (NaN, ±∞, −0 and subnormals included): each lane makes the comparisons and the single
/// multiplication of ``LeakyReLU/value(_:slope:)`` and ``LeakyReLU/derivative(_:negative:zero:)``.
/// One dispatch serves Float (``FloatVector``) and Double (``DoubleVector``) lane groups.
extension VectorLoops {
    /// `output[i] = f(input[i])` for a piecewise-linear member.
    static func piecewiseForward<V: KernelVector>(
        _ activation: Activation, _ input: UnsafeBufferPointer<V.Scalar>,
        _ output: UnsafeMutableBufferPointer<V.Scalar>, as: V.Type, minimumChunk: Int
    ) {
        switch activation {
        case .identity:
            guard input.baseAddress != UnsafePointer(output.baseAddress) else { return }
            map(Copy<V>(), input, output, minimumChunk: minimumChunk)
        case .relu:
            map(ReLUForward<V>(), input, output, minimumChunk: minimumChunk)
        case .leakyReLU(let f) where V.Scalar(f.negativeSlope) == 0:
            map(ReLUForward<V>(), input, output, minimumChunk: minimumChunk)
        case .leakyReLU(let f):
            map(LeakyForward(slope: V(repeating: V.Scalar(f.negativeSlope))), input, output, minimumChunk: minimumChunk)
        case .abs:
            map(AbsoluteForward<V>(), input, output, minimumChunk: minimumChunk)
        case .softplus, .sigmoid, .tanh, .gelu, .silu, .elu, .selu, .mish:
            preconditionFailure("\(activation) is not piecewise linear")
        }
    }

    /// `gradientInput[i] = gradientOutput[i] · f′` read off `saved[i]`, the input or (when
    /// `fromOutput`) the output of a piecewise-linear member.
    static func piecewiseBackward<V: KernelVector>(
        _ activation: Activation, saved: UnsafeBufferPointer<V.Scalar>, fromOutput: Bool,
        _ gradientOutput: UnsafeBufferPointer<V.Scalar>,
        _ gradientInput: UnsafeMutableBufferPointer<V.Scalar>, as: V.Type, minimumChunk: Int
    ) {
        guard let f = activation.piecewiseLinear else {
            preconditionFailure("\(activation) is not piecewise linear")
        }
        // Read off the output, y = ±0 only where the slope is the one below zero.
        let negative = V.Scalar(f.slopeBelowZero)
        let kernel = SlopeBackward<V>(negative: negative, zero: fromOutput ? negative : V.Scalar(f.slopeAtZero))
        zip(kernel, saved, gradientOutput, gradientInput, minimumChunk: minimumChunk)
    }
}

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
