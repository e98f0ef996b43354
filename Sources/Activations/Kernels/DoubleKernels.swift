import RealModule

/// The Double kernels behind ``Activation``'s forward and backward passes.
///
/// The piecewise-linear members run on ``DoubleVector`` lane groups, bit for bit equal to the
/// definitions. Softplus, sigmoid and tanh evaluate their definition's formula in Double
/// lane by lane (``TranscendentalActivation/value(_:evaluatedIn:)``: libm's exp and log1p
/// with exact splits and compensated quotients), at most 2 ulp from the correctly rounded
/// result. GELU, SiLU, ELU, SELU and Mish evaluate it in the definition's wide type
/// (Float80), within 1 ulp: in Double their tails lost up to 10^3 ulp (the constants k and
/// c of gelu:tanh rounded to Double, and exponentials that are subnormal where the result
/// is not). Double is the type for checks, not for speed.
enum DoubleKernels {
    /// The same byte sizes as ``FloatKernels/memoryBoundChunk``.
    static let memoryBoundChunk = 1 << 14
    /// Lane-by-lane libm is slow enough to split early, but 2^16 stays on the caller's thread.
    static let computeBoundChunk = 1 << 16

    static func forward(
        _ activation: Activation, _ input: UnsafeBufferPointer<Double>,
        _ output: UnsafeMutableBufferPointer<Double>
    ) {
        switch activation {
        case .softplus(let f): map(InDouble(f), input, output)
        case .sigmoid: map(InDouble(Sigmoid()), input, output)
        case .tanh: map(InDouble(Tanh()), input, output)
        case .gelu(let f): map(InWide(f), input, output)
        case .silu: map(InWide(SiLU()), input, output)
        case .elu(let f): map(InWide(f), input, output)
        case .selu: map(InWide(SELU()), input, output)
        case .mish: map(InWide(Mish()), input, output)
        case .identity, .relu, .leakyReLU, .abs:
            VectorLoops.piecewiseForward(
                activation, input, output, as: DoubleVector.self, minimumChunk: memoryBoundChunk)
        }
    }

    static func backward(
        _ activation: Activation, input: UnsafeBufferPointer<Double>,
        _ gradientOutput: UnsafeBufferPointer<Double>,
        _ gradientInput: UnsafeMutableBufferPointer<Double>
    ) {
        switch activation {
        case .softplus(let f): zip(InDouble(f), input, gradientOutput, gradientInput)
        case .sigmoid: zip(InDouble(Sigmoid()), input, gradientOutput, gradientInput)
        case .tanh: zip(InDouble(Tanh()), input, gradientOutput, gradientInput)
        case .gelu(let f): zip(InWide(f), input, gradientOutput, gradientInput)
        case .silu: zip(InWide(SiLU()), input, gradientOutput, gradientInput)
        case .elu(let f): zip(InWide(f), input, gradientOutput, gradientInput)
        case .selu: zip(InWide(SELU()), input, gradientOutput, gradientInput)
        case .mish: zip(InWide(Mish()), input, gradientOutput, gradientInput)
        case .identity, .relu, .leakyReLU, .abs:
            VectorLoops.piecewiseBackward(
                activation, saved: input, fromOutput: false, gradientOutput, gradientInput,
                as: DoubleVector.self, minimumChunk: memoryBoundChunk)
        }
    }

    /// From the forward output; the caller has checked `savedForBackward == .output`.
    static func backward(
        _ activation: Activation, output: UnsafeBufferPointer<Double>,
        _ gradientOutput: UnsafeBufferPointer<Double>,
        _ gradientInput: UnsafeMutableBufferPointer<Double>
    ) {
        VectorLoops.piecewiseBackward(
            activation, saved: output, fromOutput: true, gradientOutput, gradientInput,
            as: DoubleVector.self, minimumChunk: memoryBoundChunk)
    }

    private static func map<K: UnaryVectorKernel>(
        _ kernel: K, _ input: UnsafeBufferPointer<Double>,
        _ output: UnsafeMutableBufferPointer<Double>
    ) where K.Vector == DoubleVector {
        VectorLoops.map(kernel, input, output, minimumChunk: computeBoundChunk)
    }

    private static func zip<K: BinaryVectorKernel>(
        _ kernel: K, _ input: UnsafeBufferPointer<Double>,
        _ gradientOutput: UnsafeBufferPointer<Double>,
        _ gradientInput: UnsafeMutableBufferPointer<Double>
    ) where K.Vector == DoubleVector {
        VectorLoops.zip(kernel, input, gradientOutput, gradientInput, minimumChunk: computeBoundChunk)
    }
}

/// A transcendental definition evaluated in its wide type (Float80) and rounded once, lane by
/// lane: f(x), and g · f′(x).
struct InWide<F: TranscendentalActivation>: UnaryVectorKernel, BinaryVectorKernel {
    let f: F

    init(_ f: F) { self.f = f }

    @inline(__always)
    func callAsFunction(_ x: DoubleVector) -> DoubleVector {
        var y = x
        for lane in x.indices { y[lane] = f.value(x[lane]) }
        return y
    }

    @inline(__always)
    func callAsFunction(_ x: DoubleVector, _ gradient: DoubleVector) -> DoubleVector {
        var derivative = x
        for lane in x.indices { derivative[lane] = f.derivative(x[lane]) }
        return gradient * derivative
    }
}

/// A transcendental definition evaluated in Double, lane by lane: f(x), and g · f′(x) with
/// the product rounded once as in the reference.
struct InDouble<F: TranscendentalActivation>: UnaryVectorKernel, BinaryVectorKernel {
    let f: F

    init(_ f: F) { self.f = f }

    @inline(__always)
    func callAsFunction(_ x: DoubleVector) -> DoubleVector {
        var y = x
        for lane in x.indices { y[lane] = f.value(x[lane], evaluatedIn: Double.self) }
        return y
    }

    @inline(__always)
    func callAsFunction(_ x: DoubleVector, _ gradient: DoubleVector) -> DoubleVector {
        var derivative = x
        for lane in x.indices { derivative[lane] = f.derivative(x[lane], evaluatedIn: Double.self) }
        return gradient * derivative
    }
}
