import Runtime

/// Forward and backward passes of the family over buffers.
///
/// Every kernel computes what the scalar definitions say: bit for bit for the piecewise-linear
/// members (NaN, ±∞, −0 and subnormals included), and for the transcendental ones within
/// these bounds of the correctly rounded result (Float / Double):
///
/// | | value | derivative |
/// |---|---|---|
/// | softplus | 1 ulp / 2 ulp | 2 ulp / 2 ulp |
/// | sigmoid, tanh | 2 ulp / 2 ulp | 2 ulp / 2 ulp |
/// | gelu, gelu:tanh | 3 ulp / 1 ulp | 1 ulp / 1 ulp |
/// | elu, mish | 1 ulp / 1 ulp | 1 ulp / 1 ulp |
/// | selu, silu | 2 ulp / 1 ulp | 4 ulp / 1 ulp (selu′ 2) |
///
/// Near the zeros of gelu′, silu′ and mish′ (x in [−3, 0]) those derivatives are within
/// 2^-24 absolute instead.
///
/// Results below the smallest normal number may be flushed to zero (Float kernels).
///
/// Buffers may be the same memory (in place); otherwise they must not overlap. Work is O(n).
/// Buffers from 2^18 elements (transcendental members, Float) or 16 MiB (piecewise-linear
/// members) are split across ``Execution/threads`` threads; smaller ones run on the
/// caller's thread with no hand-off. Out-of-place outputs of 16 MiB or more are written with
/// non-temporal stores. Results do not depend on the thread count.
///
/// The Float kernels of every member but the identity's forward copy run the code compiled for ``InstructionSet/best``, this CPU's best instruction set, whatever
/// the build targets; the results do not depend on the set either.
extension Activation {
    /// `output[i] = f(input[i])`. `output` may be `input` itself (in place).
    /// - Precondition: the buffers have the same count.
    public func forward<T: ActivationScalar>(
        _ input: UnsafeBufferPointer<T>, into output: UnsafeMutableBufferPointer<T>
    ) {
        precondition(input.count == output.count, "forward: input and output counts differ")
        if T.self == Float.self {
            FloatKernels.forward(self, cast(input), cast(output))
        } else if T.self == Double.self {
            DoubleKernels.forward(self, cast(input), cast(output))
        } else {
            ReferenceKernels.forward(self, input, output)
        }
    }

    /// `buffer[i] = f(buffer[i])`.
    public func forward<T: ActivationScalar>(inPlace buffer: UnsafeMutableBufferPointer<T>) {
        forward(UnsafeBufferPointer(buffer), into: buffer)
    }

    /// `[f(x) for x in input]`.
    public func forward<T: ActivationScalar>(_ input: [T]) -> [T] {
        Self.array(input, input) { x, _, y in forward(x, into: y) }
    }

    /// `gradientInput[i] = gradientOutput[i] · f′(input[i])`, valid for every member.
    /// `gradientInput` may be `gradientOutput` (in place).
    public func backward<T: ActivationScalar>(
        input: UnsafeBufferPointer<T>, gradientOutput: UnsafeBufferPointer<T>,
        into gradientInput: UnsafeMutableBufferPointer<T>
    ) {
        precondition(
            input.count == gradientOutput.count && input.count == gradientInput.count,
            "backward: buffer counts differ")
        if T.self == Float.self {
            FloatKernels.backward(self, input: cast(input), cast(gradientOutput), cast(gradientInput))
        } else if T.self == Double.self {
            DoubleKernels.backward(self, input: cast(input), cast(gradientOutput), cast(gradientInput))
        } else {
            ReferenceKernels.backward(self, input: input, gradientOutput, gradientInput)
        }
    }

    /// `gradientInput[i] = gradientOutput[i] · f′` read off the forward output `output[i]`.
    /// - Precondition: ``savedForBackward`` is `.output` (ReLU with the default derivative
    ///   at 0, leaky ReLU with α ≥ 0, identity).
    public func backward<T: ActivationScalar>(
        output: UnsafeBufferPointer<T>, gradientOutput: UnsafeBufferPointer<T>,
        into gradientInput: UnsafeMutableBufferPointer<T>
    ) {
        precondition(savedForBackward == .output, "\(self) needs its input for the backward pass")
        precondition(
            output.count == gradientOutput.count && output.count == gradientInput.count,
            "backward: buffer counts differ")
        if T.self == Float.self {
            FloatKernels.backward(self, output: cast(output), cast(gradientOutput), cast(gradientInput))
        } else if T.self == Double.self {
            DoubleKernels.backward(self, output: cast(output), cast(gradientOutput), cast(gradientInput))
        } else {
            ReferenceKernels.backward(self, output: output, gradientOutput, gradientInput)
        }
    }

    /// Backward from whatever ``savedForBackward`` says the layer kept (`saved`).
    public func backward<T: ActivationScalar>(
        saved: UnsafeBufferPointer<T>, gradientOutput: UnsafeBufferPointer<T>,
        into gradientInput: UnsafeMutableBufferPointer<T>
    ) {
        switch savedForBackward {
        case .input: backward(input: saved, gradientOutput: gradientOutput, into: gradientInput)
        case .output: backward(output: saved, gradientOutput: gradientOutput, into: gradientInput)
        }
    }

    /// `array[i] = f(array[i])`.
    public func forward<T: ActivationScalar>(inPlace array: inout [T]) {
        array.withUnsafeMutableBufferPointer { forward(inPlace: $0) }
    }

    /// `[g · f′ read off y for (y, g) in zip(output, gradientOutput)]`.
    /// - Precondition: ``savedForBackward`` is `.output`; the arrays have the same count.
    public func backward<T: ActivationScalar>(output: [T], gradientOutput: [T]) -> [T] {
        Self.array(output, gradientOutput) { backward(output: $0, gradientOutput: $1, into: $2) }
    }

    /// `[g · f′(x) for (x, g) in zip(input, gradientOutput)]`.
    public func backward<T: ActivationScalar>(input: [T], gradientOutput: [T]) -> [T] {
        Self.array(input, gradientOutput) { backward(input: $0, gradientOutput: $1, into: $2) }
    }

    /// A new array of `a.count` elements written by `body(a, b, result)`.
    private static func array<T>(
        _ a: [T], _ b: [T],
        _ body: (UnsafeBufferPointer<T>, UnsafeBufferPointer<T>, UnsafeMutableBufferPointer<T>) -> Void
    ) -> [T] {
        precondition(a.count == b.count, "backward: counts differ")
        // `[]` when empty: `Array(unsafeUninitializedCapacity: 0)` writes its count, 0, into
        // the standard library's shared empty-array storage, a benign race that
        // ThreadSanitizer reports when two threads do it.
        guard !a.isEmpty else { return [] }
        return [T](unsafeUninitializedCapacity: a.count) { result, initialized in
            a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { body(x, $0, result) } }
            initialized = a.count
        }
    }
}

/// The same buffer seen as another element type of the same layout (Float or Double after a
/// `T.self ==` check).
@inline(__always)
private func cast<T, U>(_ buffer: UnsafeBufferPointer<T>) -> UnsafeBufferPointer<U> {
    unsafeBitCast(buffer, to: UnsafeBufferPointer<U>.self)
}

@inline(__always)
private func cast<T, U>(_ buffer: UnsafeMutableBufferPointer<T>) -> UnsafeMutableBufferPointer<U> {
    unsafeBitCast(buffer, to: UnsafeMutableBufferPointer<U>.self)
}
