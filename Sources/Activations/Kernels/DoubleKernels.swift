import RealModule

/// The Double kernels behind ``Activation``'s forward and backward passes.
///
/// The piecewise-linear members run on ``DoubleVector`` lane groups, bit for bit equal to the
/// scalar definitions. The transcendental members evaluate each lane with the Double
/// formulas in ``DoubleMath`` (libm's exp and log1p with exact splits and compensated
/// quotients), at most 2 ulp from the correctly rounded result (measured against the
/// reference table); Double is the type for checks, not for speed.
enum DoubleKernels {
    /// The same byte sizes as ``FloatKernels/memoryBoundChunk``.
    static let memoryBoundChunk = 1 << 20
    /// Lane-by-lane libm is slow enough to split early, but 2^16 stays on the caller's thread.
    static let computeBoundChunk = 1 << 16

    static func forward(
        _ activation: Activation, _ input: UnsafeBufferPointer<Double>,
        _ output: UnsafeMutableBufferPointer<Double>
    ) {
        switch activation {
        case .identity:
            guard input.baseAddress != UnsafePointer(output.baseAddress) else { return }
            map(Copy<DoubleVector>(), input, output)
        case .relu:
            map(ReLUForward<DoubleVector>(), input, output)
        case .leakyReLU(let f) where f.negativeSlope == 0:
            map(ReLUForward<DoubleVector>(), input, output)
        case .leakyReLU(let f):
            map(LeakyForward(slope: DoubleVector(repeating: f.negativeSlope)), input, output)
        case .abs:
            map(AbsoluteForward<DoubleVector>(), input, output)
        case .softplus(let f):
            map(Lanewise { DoubleMath.softplus($0, f) }, input, output)
        case .sigmoid:
            map(Lanewise { DoubleMath.sigmoid($0, beta: 1) }, input, output)
        case .tanh:
            map(Lanewise { Double.tanh($0) }, input, output)
        }
    }

    static func backward(
        _ activation: Activation, input: UnsafeBufferPointer<Double>,
        _ gradientOutput: UnsafeBufferPointer<Double>,
        _ gradientInput: UnsafeMutableBufferPointer<Double>
    ) {
        switch activation {
        case .softplus(let f):
            zip(Lanewise { DoubleMath.softplusDerivative($0, f) }, input, gradientOutput, gradientInput)
        case .sigmoid:
            zip(Lanewise { DoubleMath.bellCurve(-$0.magnitude, factor: 1) }, input, gradientOutput, gradientInput)
        case .tanh:
            zip(Lanewise { DoubleMath.bellCurve(-2 * $0.magnitude, factor: 4) }, input, gradientOutput, gradientInput)
        case .identity, .relu, .leakyReLU, .abs:
            let slopes = PiecewiseSlopes(activation, of: Double.self)
            VectorLoops.zip(
                SlopeBackward<DoubleVector>(negative: slopes.negative, zero: slopes.zero), input,
                gradientOutput, gradientInput, minimumChunk: memoryBoundChunk)
        }
    }

    /// From the forward output; the caller has checked `savedForBackward == .output`.
    static func backward(
        _ activation: Activation, output: UnsafeBufferPointer<Double>,
        _ gradientOutput: UnsafeBufferPointer<Double>,
        _ gradientInput: UnsafeMutableBufferPointer<Double>
    ) {
        let slopes = PiecewiseSlopes(fromOutputOf: activation, of: Double.self)
        VectorLoops.zip(
            SlopeBackward<DoubleVector>(negative: slopes.negative, zero: slopes.zero), output,
            gradientOutput, gradientInput, minimumChunk: memoryBoundChunk)
    }

    private static func map<K: UnaryVectorKernel>(
        _ kernel: K, _ input: UnsafeBufferPointer<Double>, _ output: UnsafeMutableBufferPointer<Double>
    ) where K.Vector == DoubleVector {
        VectorLoops.map(
            kernel, input, output,
            minimumChunk: K.isComputeBound ? computeBoundChunk : memoryBoundChunk)
    }

    /// gradientInput = gradientOutput · f′(x), the product rounded once as in the reference.
    private static func zip(
        _ derivative: Lanewise, _ input: UnsafeBufferPointer<Double>,
        _ gradientOutput: UnsafeBufferPointer<Double>,
        _ gradientInput: UnsafeMutableBufferPointer<Double>
    ) {
        VectorLoops.zip(
            LanewiseProduct(derivative: derivative), input, gradientOutput, gradientInput,
            minimumChunk: computeBoundChunk)
    }
}

/// A scalar Double function applied lane by lane.
struct Lanewise: UnaryVectorKernel {
    static var isComputeBound: Bool { true }
    let function: (Double) -> Double

    @inline(__always)
    func callAsFunction(_ x: DoubleVector) -> DoubleVector {
        var y = x
        for lane in x.indices { y[lane] = function(x[lane]) }
        return y
    }
}

/// g · f′(x) lane by lane.
struct LanewiseProduct: BinaryVectorKernel {
    static var isComputeBound: Bool { true }
    let derivative: Lanewise

    @inline(__always)
    func callAsFunction(_ x: DoubleVector, _ gradient: DoubleVector) -> DoubleVector {
        gradient * derivative(x)
    }
}
