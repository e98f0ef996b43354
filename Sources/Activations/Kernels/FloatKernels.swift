/// The Float kernels behind ``Activation``'s forward and backward passes.
enum FloatKernels {
    /// Memory-bound kernels (piecewise linear) split only when each thread gets at least this
    /// many elements (8 MiB): in cache one core is as fast as two plus the hand-off, and only
    /// out of cache does a second core add bandwidth (measured on Zen 3: ReLU at 2^23, 0.33 →
    /// 0.20 ns/element; at 2^19–2^21 two threads were slower).
    static let memoryBoundChunk = 1 << 21
    /// Compute-bound kernels (exp/log) split from 2^18 elements on (at 2^17 the hand-off still
    /// cost more than it saved); 2^16 stays on the caller's thread.
    static let computeBoundChunk = 1 << 17

    static func forward(
        _ activation: Activation, _ input: UnsafeBufferPointer<Float>,
        _ output: UnsafeMutableBufferPointer<Float>
    ) {
        switch activation {
        case .identity, .relu, .leakyReLU, .abs:
            VectorLoops.piecewiseForward(
                activation, input, output, as: FloatVector.self, minimumChunk: memoryBoundChunk)
        case .softplus(let f) where f.beta == 1:
            map(SoftplusLanes(beta: UnitBeta(), threshold: linearThreshold(f)), input, output)
        case .softplus(let f) where ScaledBeta.accepts(f.beta):
            map(SoftplusLanes(beta: ScaledBeta(f.beta), threshold: linearThreshold(f)), input, output)
        case .softplus:
            ReferenceKernels.forward(activation, input, output)
        case .sigmoid:
            map(SigmoidLanes(), input, output)
        case .tanh:
            map(TanhLanes(), input, output)
        case .gelu(let f) where f.approximation == .tanh:
            map(GELUTanhLanes(), input, output)
        case .gelu:
            map(GELULanes(), input, output)
        case .silu:
            map(SiLULanes(), input, output)
        case .elu(let f):
            map(ExponentialLinearLanes(scale: 1, negativeScale: f.alpha), input, output)
        case .selu:
            map(ExponentialLinearLanes(scale: SELU.lambda, negativeScale: SELU.lambda * SELU.alpha), input, output)
        case .mish:
            map(MishLanes(), input, output)
        }
    }

    static func backward(
        _ activation: Activation, input: UnsafeBufferPointer<Float>,
        _ gradientOutput: UnsafeBufferPointer<Float>, _ gradientInput: UnsafeMutableBufferPointer<Float>
    ) {
        switch activation {
        case .softplus(let f) where f.beta == 1:
            zip(SoftplusLanes(beta: UnitBeta(), threshold: linearThreshold(f)), input, gradientOutput, gradientInput)
        case .softplus(let f) where ScaledBeta.accepts(f.beta):
            zip(SoftplusLanes(beta: ScaledBeta(f.beta), threshold: linearThreshold(f)), input, gradientOutput, gradientInput)
        case .softplus:
            ReferenceKernels.backward(activation, input: input, gradientOutput, gradientInput)
        case .sigmoid:
            zip(SigmoidLanes(), input, gradientOutput, gradientInput)
        case .tanh:
            zip(TanhLanes(), input, gradientOutput, gradientInput)
        case .gelu(let f) where f.approximation == .tanh:
            zip(GELUTanhLanes(), input, gradientOutput, gradientInput)
        case .gelu:
            zip(GELULanes(), input, gradientOutput, gradientInput)
        case .silu:
            zip(SiLULanes(), input, gradientOutput, gradientInput)
        case .elu(let f):
            zip(ExponentialLinearLanes(scale: 1, negativeScale: f.alpha), input, gradientOutput, gradientInput)
        case .selu:
            zip(ExponentialLinearLanes(scale: SELU.lambda, negativeScale: SELU.lambda * SELU.alpha), input, gradientOutput, gradientInput)
        case .mish:
            zip(MishLanes(), input, gradientOutput, gradientInput)
        case .identity, .relu, .leakyReLU, .abs:
            VectorLoops.piecewiseBackward(
                activation, saved: input, fromOutput: false, gradientOutput, gradientInput,
                as: FloatVector.self, minimumChunk: memoryBoundChunk)
        }
    }

    /// From the forward output; the caller has checked `savedForBackward == .output`.
    static func backward(
        _ activation: Activation, output: UnsafeBufferPointer<Float>,
        _ gradientOutput: UnsafeBufferPointer<Float>, _ gradientInput: UnsafeMutableBufferPointer<Float>
    ) {
        VectorLoops.piecewiseBackward(
            activation, saved: output, fromOutput: true, gradientOutput, gradientInput,
            as: FloatVector.self, minimumChunk: memoryBoundChunk)
    }

    @inline(__always)
    private static func map<K: UnaryVectorKernel>(
        _ kernel: K, _ input: UnsafeBufferPointer<Float>, _ output: UnsafeMutableBufferPointer<Float>
    ) where K.Vector == FloatVector {
        VectorLoops.map(kernel, input, output, minimumChunk: computeBoundChunk)
    }

    @inline(__always)
    private static func zip<K: BinaryVectorKernel>(
        _ kernel: K, _ saved: UnsafeBufferPointer<Float>, _ gradient: UnsafeBufferPointer<Float>,
        _ output: UnsafeMutableBufferPointer<Float>
    ) where K.Vector == FloatVector {
        VectorLoops.zip(kernel, saved, gradient, output, minimumChunk: computeBoundChunk)
    }
}

/// A transcendental member's forward (`f(x)`) and backward (`g · f′(x)`) lane groups.
struct SoftplusLanes<B: BetaScaling>: UnaryVectorKernel, BinaryVectorKernel {
    let beta: B
    let threshold: FloatVector

    @inline(__always)
    func callAsFunction(_ x: FloatVector) -> FloatVector { softplus(x, beta: beta, linearAbove: threshold) }

    @inline(__always)
    func callAsFunction(_ x: FloatVector, _ gradient: FloatVector) -> FloatVector {
        gradient * softplusDerivative(x, beta: beta, linearAbove: threshold)
    }
}

struct SigmoidLanes: UnaryVectorKernel, BinaryVectorKernel {

    @inline(__always)
    func callAsFunction(_ x: FloatVector) -> FloatVector { sigmoid(x, beta: UnitBeta()) }

    @inline(__always)
    func callAsFunction(_ x: FloatVector, _ gradient: FloatVector) -> FloatVector { gradient * sigmoidDerivative(x) }
}

struct TanhLanes: UnaryVectorKernel, BinaryVectorKernel {

    @inline(__always)
    func callAsFunction(_ x: FloatVector) -> FloatVector { tanh(x) }

    @inline(__always)
    func callAsFunction(_ x: FloatVector, _ gradient: FloatVector) -> FloatVector { gradient * tanhDerivative(x) }
}
