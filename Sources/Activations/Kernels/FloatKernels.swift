internal import CActivationKernels
import Runtime

/// The Float kernels behind ``Activation``'s forward and backward passes.
enum FloatKernels {
    /// Memory-bound kernels (piecewise linear) split when each thread gets at least this many
    /// elements (128 KiB): each core then streams its half through its own L2. Measured on
    /// Zen 4 (2 cores, `bench activations --threads 2`, this value against 2^21 alternated
    /// three times): 2^18 and 2^20 elements 1.6–1.9× faster (ReLU forward 92 → 147–181 GB/s),
    /// abs and ReLU backward at 2^16 1.15–1.9×, ReLU forward at 2^16 and everything at 2^22
    /// level. (An earlier measurement on Zen 3 had found two threads slower at 2^19–2^21.)
    static let memoryBoundChunk = 1 << 15
    /// Compute-bound kernels (exp/log) split from 2^15 elements on. A chunk of 2^14 is 4–6 µs
    /// of work for the cheapest of them (sigmoid, silu, tanh, elu, selu: 0.26–0.36 ns/element
    /// on one Zen 4 core, softplus 0.83, gelu, gelu:tanh and mish 1.0–1.4), against a hand-off
    /// to the spinning worker of about 0.6–1.7 µs (2^15 elements of elu and sigmoid took 0.55
    /// and 0.66 of their one-thread time on two threads; measured 2026-12-07, AVX-512).
    static let computeBoundChunk = 1 << 14

    static func forward(
        _ activation: Activation, _ input: UnsafeBufferPointer<Float>,
        _ output: UnsafeMutableBufferPointer<Float>, using set: InstructionSet = .best
    ) {
        let kernels = set.kernels
        switch activation {
        case .identity:
            VectorLoops.piecewiseForward(
                activation, input, output, as: FloatVector.self, minimumChunk: memoryBoundChunk)
        case .relu:
            dispatched(kernels.relu_forward, nil, input, input, output, minimumChunk: memoryBoundChunk)
        case .leakyReLU(let f) where Float(f.negativeSlope) == 0:
            dispatched(kernels.relu_forward, nil, input, input, output, minimumChunk: memoryBoundChunk)
        case .leakyReLU(let f):
            var parameters = rect_kernel_parameters()
            parameters.slope = Float(f.negativeSlope)
            dispatched(kernels.leaky_forward, parameters, input, input, output, minimumChunk: memoryBoundChunk)
        case .abs:
            dispatched(kernels.abs_forward, nil, input, input, output, minimumChunk: memoryBoundChunk)
        case .softplus(let f):
            guard let parameters = softplusParameters(f) else {
                return ReferenceKernels.forward(activation, input, output)
            }
            dispatched(set.kernels.softplus_forward, parameters, input, input, output)
        case .sigmoid:
            dispatched(set.kernels.sigmoid_forward, nil, input, input, output)
        case .tanh:
            dispatched(set.kernels.tanh_forward, nil, input, input, output)
        case .gelu(let f) where f.approximation == .tanh:
            dispatched(kernels.gelu_tanh_forward, nil, input, input, output)
        case .gelu:
            dispatched(kernels.gelu_forward, nil, input, input, output)
        case .silu:
            dispatched(kernels.silu_forward, nil, input, input, output)
        case .elu, .selu:
            dispatched(kernels.elu_forward, exponentialLinearParameters(activation), input, input, output)
        case .mish:
            dispatched(kernels.mish_forward, nil, input, input, output)
        }
    }

    static func backward(
        _ activation: Activation, input: UnsafeBufferPointer<Float>,
        _ gradientOutput: UnsafeBufferPointer<Float>, _ gradientInput: UnsafeMutableBufferPointer<Float>,
        using set: InstructionSet = .best
    ) {
        switch activation {
        case .softplus(let f):
            guard let parameters = softplusParameters(f) else {
                return ReferenceKernels.backward(activation, input: input, gradientOutput, gradientInput)
            }
            dispatched(set.kernels.softplus_backward, parameters, input, gradientOutput, gradientInput)
        case .sigmoid:
            dispatched(set.kernels.sigmoid_backward, nil, input, gradientOutput, gradientInput)
        case .tanh:
            dispatched(set.kernels.tanh_backward, nil, input, gradientOutput, gradientInput)
        case .gelu(let f) where f.approximation == .tanh:
            dispatched(set.kernels.gelu_tanh_backward, nil, input, gradientOutput, gradientInput)
        case .gelu:
            dispatched(set.kernels.gelu_backward, nil, input, gradientOutput, gradientInput)
        case .silu:
            dispatched(set.kernels.silu_backward, nil, input, gradientOutput, gradientInput)
        case .elu, .selu:
            dispatched(
                set.kernels.elu_backward, exponentialLinearParameters(activation), input, gradientOutput, gradientInput)
        case .mish:
            dispatched(set.kernels.mish_backward, nil, input, gradientOutput, gradientInput)
        case .identity, .relu, .leakyReLU, .abs:
            slopeBackward(activation, saved: input, fromOutput: false, gradientOutput, gradientInput, using: set)
        }
    }

    /// From the forward output; the caller has checked `savedForBackward == .output`.
    static func backward(
        _ activation: Activation, output: UnsafeBufferPointer<Float>,
        _ gradientOutput: UnsafeBufferPointer<Float>, _ gradientInput: UnsafeMutableBufferPointer<Float>
    ) {
        slopeBackward(activation, saved: output, fromOutput: true, gradientOutput, gradientInput, using: .best)
    }

    /// `gradientInput[i] = gradientOutput[i] · slope(saved[i])` for a piecewise-linear member,
    /// read off the input or (`fromOutput`; y = ±0 only where the slope is the one below zero)
    /// the output.
    private static func slopeBackward(
        _ activation: Activation, saved: UnsafeBufferPointer<Float>, fromOutput: Bool,
        _ gradientOutput: UnsafeBufferPointer<Float>, _ gradientInput: UnsafeMutableBufferPointer<Float>,
        using set: InstructionSet
    ) {
        guard let f = activation.piecewiseLinear else {
            preconditionFailure("\(activation) is not piecewise linear")
        }
        var parameters = rect_kernel_parameters()
        parameters.slope_below_zero = Float(f.slopeBelowZero)
        parameters.slope_at_zero = fromOutput ? parameters.slope_below_zero : Float(f.slopeAtZero)
        dispatched(
            set.kernels.slope_backward, parameters, saved, gradientOutput, gradientInput,
            minimumChunk: memoryBoundChunk)
    }

    /// λ and λα of ELU (λ = 1) and SELU (Klambauer's constants), each rounded to Float.
    private static func exponentialLinearParameters(_ activation: Activation) -> rect_kernel_parameters {
        var parameters = rect_kernel_parameters()
        let (scale, negativeScale): (Double, Double) =
            switch activation {
            case .elu(let f): (1, f.alpha)
            default: (SELU.lambda, SELU.lambda * SELU.alpha)
            }
        parameters.elu_scale = Float(scale)
        parameters.elu_negative_scale = Float(negativeScale)
        return parameters
    }

    /// Runs a kernel of `CActivationKernels` (FloatLanes.h) over the buffers: `y = f(x)` when
    /// `g` is `x`, else `y = g·f′(x)`, split across threads in chunks of at least `minimumChunk`.
    private static func dispatched(
        _ kernel: rect_float_kernel?, _ parameters: rect_kernel_parameters?,
        _ x: UnsafeBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>,
        minimumChunk: Int = computeBoundChunk
    ) {
        guard let kernel, let xs = x.baseAddress, let gs = g.baseAddress, let ys = y.baseAddress else { return }
        let streaming = UnsafePointer(ys) != xs && UnsafePointer(ys) != gs
            && x.count * MemoryLayout<Float>.stride >= VectorLoops.streamingBytes
        let parameters = parameters ?? rect_kernel_parameters()
        Execution.current.forEachChunk(count: x.count, minimumChunk: minimumChunk) { range in
            withUnsafePointer(to: parameters) { p in
                let start = range.lowerBound
                kernel(p, xs + start, gs + start, ys + start, range.count, streaming ? 1 : 0)
            }
        }
    }

    /// softplus's β and threshold as the C kernels take them, or nil for a β outside
    /// 2^-100 < β < 2^100 (the pairs below would not be normal; the reference loop runs).
    ///
    /// β ≠ 1 is carried as β = βhi + βlo and 1/β = ihi + ilo in Float pairs, so that β·x and
    /// L/β keep the accuracy of the definition (which evaluates them in Double): rounding β·x
    /// to Float would change e^(β·x) by |β·x|·2^-24, up to 40 ulp at β·x = −80. For β < 1 the
    /// exponential carries 2^k, k = ⌈−log2 β⌉, so that the tail u/β is not flushed where it
    /// is still normal. The threshold is compared in Float as the definition does, clamped to
    /// the largest finite Float (β·(+∞) = +∞ then takes the linear branch, not ∞ − ∞).
    static func softplusParameters(_ softplus: Softplus) -> rect_kernel_parameters? {
        let beta = softplus.beta
        guard beta > 0x1p-100 && beta < 0x1p100 else { return nil }
        var parameters = rect_kernel_parameters()
        parameters.threshold = min(Float(softplus.threshold), .greatestFiniteMagnitude)
        guard beta != 1 else { return parameters }
        let hi = Float(beta), inverse = 1 / beta, inverseHi = Float(inverse)
        let offset = beta < 1 ? Int32((-Double.log2(beta)).rounded(.up)) : 0
        parameters.scaled = 1
        parameters.beta_hi = hi
        parameters.beta_lo = Float(beta - Double(hi))
        parameters.inverse_hi = inverseHi
        parameters.inverse_lo = Float(inverse - Double(inverseHi))
        parameters.exponent_offset = offset
        parameters.offset_inverse = Float(sign: .plus, exponent: Int(-offset), significand: 1)
        return parameters
    }
}

/// The instruction sets the Float kernels (every member but the identity's copy and PReLU)
/// are compiled for; ``best`` is the one this CPU runs, found once
/// from its features (CPUID and the registers the operating system saves), and the one the
/// kernels use. The others this CPU runs give the same bits.
public enum InstructionSet: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// The build's own target (SSE2 on x86-64; FMA through libm, exact but slow).
    case baseline
    /// AVX2 and FMA.
    case avx2
    /// AVX-512 F, DQ, BW and VL.
    case avx512

    /// The set the kernels use on this CPU.
    public static let best = InstructionSet(rawValue: Int(rect_best_instruction_set().rawValue)) ?? .baseline

    /// "baseline", "AVX2 + FMA" or "AVX-512".
    public var description: String {
        switch self {
        case .baseline: "baseline"
        case .avx2: "AVX2 + FMA"
        case .avx512: "AVX-512"
        }
    }

    /// The sets this CPU runs, baseline first.
    package static var available: [InstructionSet] { allCases.filter { $0.rawValue <= best.rawValue } }

    /// The kernel table of this set (only sets in ``available`` are ever asked for).
    var kernels: rect_float_kernels {
        rect_float_kernels_for(rect_instruction_set(rawValue: UInt32(rawValue)))!.pointee
    }
}

extension Activation {
    /// ``forward(_:into:)`` on Float buffers with the kernels of `set` (a set in
    /// ``InstructionSet/available``), for the tests that compare the sets.
    package func forward(
        _ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>, using set: InstructionSet
    ) {
        precondition(input.count == output.count && InstructionSet.available.contains(set))
        FloatKernels.forward(self, input, output, using: set)
    }

    /// ``backward(input:gradientOutput:into:)`` on Float buffers with the kernels of `set`.
    package func backward(
        input: UnsafeBufferPointer<Float>, gradientOutput: UnsafeBufferPointer<Float>,
        into gradientInput: UnsafeMutableBufferPointer<Float>, using set: InstructionSet
    ) {
        precondition(input.count == gradientOutput.count && input.count == gradientInput.count)
        precondition(InstructionSet.available.contains(set))
        FloatKernels.backward(self, input: input, gradientOutput, gradientInput, using: set)
    }
}
