import Activations
import Runtime
import Testing

/// The vectorised kernels against the scalar definitions on random buffers with special
/// values mixed in: odd lengths, unaligned starts, in place, and sizes that split across
/// threads or switch to streaming stores. Piecewise-linear members must match bit for bit
/// (NaN results only as NaN); the others within the kernel bound plus the definition's own
/// 1 ulp.
@Suite struct KernelEquivalenceTests {
    static let members: [Activation] = [
        .identity, .relu, .relu(try! ReLU(derivativeAtZero: 0.5)), .leakyReLU(LeakyReLU()),
        try! .leakyReLU(negativeSlope: 0), try! .leakyReLU(negativeSlope: -0.5),
        try! .leakyReLU(negativeSlope: 1), try! .leakyReLU(negativeSlope: 3.7), .abs,
        .softplus(Softplus()), try! .softplus(beta: 2), try! .softplus(beta: 0.3, threshold: 5),
        try! .softplus(beta: 1, threshold: .infinity), .sigmoid, .tanh,
        .gelu, .gelu(GELU(approximation: .tanh)), .silu, .elu, try! .elu(alpha: 3), .selu, .mish,
    ]

    /// Allowed distance from the scalar definition: the kernel's bound plus the definition's
    /// own 1 ulp (0 for the exact members).
    static func tolerance<T>(_ f: Activation, derivative: Bool, _ type: T.Type) -> Int {
        if f.isPiecewiseLinear { return 0 }
        if case .softplus = f, !derivative, T.self == Float.self { return 2 }
        if T.self == Float.self {
            switch f {
            case .mish: return derivative ? 7 : 4
            case .gelu(let g) where g.approximation == .tanh: return derivative ? 6 : 4
            case .gelu: return derivative ? 3 : 4
            case .silu: return derivative ? 5 : 3
            default: break
            }
        }
        return 3
    }

    /// Around the zeros of gelu′, silu′ and mish′ (all in [−2, 0]) the derivatives cancel:
    /// an absolute error within 2^-23 (the kernel's 2^-24 and the definition's) passes there.
    static func cancelling(_ f: Activation, derivative: Bool) -> ClosedRange<Double>? {
        switch f {
        case .gelu, .silu, .mish: derivative ? -2 ... 0 : nil
        default: nil
        }
    }

    @Test(arguments: members)
    func forwardMatchesTheDefinition(_ f: Activation) {
        checkForward(f, Float.self)
        checkForward(f, Double.self)
    }

    @Test(arguments: members)
    func backwardFromInputMatchesTheDefinition(_ f: Activation) {
        checkBackwardFromInput(f, Float.self)
        checkBackwardFromInput(f, Double.self)
    }

    @Test(arguments: members.filter { $0.savedForBackward == .output })
    func backwardFromOutputMatchesTheDefinition(_ f: Activation) {
        checkBackwardFromOutput(f, Float.self)
        checkBackwardFromOutput(f, Double.self)
    }

    /// Sizes around the lane group (16 Float, 8 Double) at the offsets 0–3 from an aligned
    /// start, and one size that splits the transcendental members across threads.
    static let sizes = [0, 1, 7, 15, 16, 17, 33, 1001, (1 << 18) + 37]

    private func checkForward<T: ActivationScalar & ReferenceBits>(_ f: Activation, _ type: T.Type) {
        let tolerance = Self.tolerance(f, derivative: false, T.self)
        let pool = Samples.mixed(T.self, count: Self.sizes.max()! + 3, seed: 1)
        for size in Self.sizes {
            for offset in size > 1 << 16 ? [1] : [0, 1, 2, 3] {
                let x = Array(pool[offset..<(offset + size)])
                let expected = x.map { f.value($0) }
                expectClose(f.forward(x), expected, x, tolerance, "\(f) forward \(T.self) n=\(size)+\(offset)")
                var inPlace = x
                f.forward(inPlace: &inPlace)
                expectClose(inPlace, expected, x, tolerance, "\(f) forward in place \(T.self) n=\(size)")
            }
        }
    }

    private func checkBackwardFromInput<T: ActivationScalar & ReferenceBits>(
        _ f: Activation, _ type: T.Type
    ) {
        let tolerance = Self.tolerance(f, derivative: true, T.self)
        let size = 1001
        let x = Samples.mixed(T.self, count: size, seed: 2)
        // ∞·f′ with f′ flushed to 0 in one and tiny in the other would differ as NaN vs ∞:
        // the exact members take every gradient, the others finite ones.
        // Where f′ cancels, its error is absolute: it is checked with gradient 1.
        let g = f.isPiecewiseLinear
            ? Samples.mixed(T.self, count: size, seed: 3)
            : Self.cancelling(f, derivative: true) != nil
                ? [T](repeating: 1, count: size) : Samples.finite(T.self, count: size, seed: 3)
        let expected = zip(x, g).map { $1 * f.derivative($0) }
        let cancelling = Self.cancelling(f, derivative: true)
        expectClose(f.backward(input: x, gradientOutput: g), expected, x, tolerance, "\(f) backward \(T.self)", cancelling)
        var inPlace = g
        inPlace.withUnsafeMutableBufferPointer { gradient in
            x.withUnsafeBufferPointer { input in
                f.backward(input: input, gradientOutput: UnsafeBufferPointer(gradient), into: gradient)
            }
        }
        expectClose(inPlace, expected, x, tolerance, "\(f) backward in place \(T.self)", cancelling)
    }

    private func checkBackwardFromOutput<T: ActivationScalar & ReferenceBits>(
        _ f: Activation, _ type: T.Type
    ) {
        let x = Samples.mixed(T.self, count: 1001, seed: 4)
        let y = f.forward(x)
        let g = Samples.mixed(T.self, count: 1001, seed: 5)
        let expected = zip(y, g).map { $1 * f.derivative(fromOutput: $0) }
        expectClose(f.backward(output: y, gradientOutput: g), expected, x, 0, "\(f) backward from output \(T.self)")
        // The output tells the side exactly as the input does.
        expectClose(f.backward(output: y, gradientOutput: g), f.backward(input: x, gradientOutput: g), x, 0,
                    "\(f) backward from output vs input \(T.self)")
    }

    /// silu and gelu:tanh forward are x′/d on both sides, with the argument of their exponential
    /// clamped (silu at −109 and 87, gelu:tanh at −11 and 9.9) and both terms scaled by 2^-40
    /// below x = −1: at each switch and its neighbours the result stays within the bound, and
    /// past the lower clamp it is −0 (the value rounds to −0 there).
    @Test(arguments: [Activation.silu, .gelu(GELU(approximation: .tanh))])
    func quotientSwitches(_ f: Activation) {
        let switches: [Float] = [-1, -87, 87, -109, -11, 9.9, -108, -20, 20, -10, 10]
        let x = switches.flatMap { [$0.nextDown, $0, $0.nextUp] }
        expectClose(f.forward(x), x.map { f.value($0) }, x, Self.tolerance(f, derivative: false, Float.self),
                    "\(f) forward at the switches")
        let far: [Float] = [-109.5, -200, -1e30, -.greatestFiniteMagnitude, -.infinity]
        let zeros = f.forward(far).map(\.bitPattern)
        #expect(zeros == [UInt32](repeating: (-0.0 as Float).bitPattern, count: far.count), "\(f): \(zeros)")
        #expect(f.forward([Float](repeating: -9, count: 17)).allSatisfy { $0 < 0 }, "\(f) at −9")
    }

    @Test func resultsDoNotDependOnTheThreadCountOrOnStreaming() {
        // Large enough for every member to split, and for out-of-place outputs to stream.
        let x = Samples.mixed(Float.self, count: (1 << 22) + 5, seed: 6)
        let g = Samples.finite(Float.self, count: x.count, seed: 7)
        for f in [Activation.relu, .abs, .softplus(Softplus()), .sigmoid, .tanh, .identity] {
            var results: [[[Float]]] = []
            for threads in [1, 2, 3] {
                results.append(Execution(threads: threads).run {
                    var inPlace = x
                    f.forward(inPlace: &inPlace)
                    return [f.forward(x), inPlace, f.backward(input: x, gradientOutput: g)]
                })
            }
            for run in results.dropFirst() {
                for (a, b) in zip(run, results[0]) {
                    #expect(a.elementsEqual(b) { $0.bitPattern == $1.bitPattern }, "\(f)")
                }
            }
            // Streaming (out of place) and cached (in place) stores write the same values.
            #expect(results[0][0].elementsEqual(results[0][1]) { $0.bitPattern == $1.bitPattern }, "\(f)")
        }
    }

    private func expectClose<T: ReferenceBits>(
        _ results: [T], _ expected: [T], _ inputs: [T], _ tolerance: Int, _ label: String,
        _ cancelling: ClosedRange<Double>? = nil
    ) {
        #expect(results.count == expected.count, "\(label): count")
        let worst = ULP.worst(
            results, expected, inputs: inputs, allowingFlush: tolerance > 0,
            absoluteTolerance: T.ulpOfOne, cancelling: cancelling)
        #expect(worst.ulp <= tolerance, "\(label): \(worst.ulp) ulp at x = \(worst.at)")
        if tolerance == 0 {
            let signs = zip(results, expected).allSatisfy { $0.isNaN || $0.sign == $1.sign }
            #expect(signs, "\(label): signed zeros differ")
        }
    }
}

/// Deterministic test inputs.
enum Samples {
    /// Values over the whole range, with one in seven a special value (±0, ±∞, NaN,
    /// subnormals, the extremes of the normal range).
    static func mixed<T: ActivationScalar>(_ type: T.Type, count: Int, seed: UInt64) -> [T] {
        let specials: [T] = [
            0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
            .leastNormalMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude,
            -.greatestFiniteMagnitude, T.leastNormalMagnitude / 3, -T.leastNormalMagnitude / 5,
        ]
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { i in
            if i % 7 == 3 { return specials[Int(generator.next() % UInt64(specials.count))] }
            return value(&generator)
        }
    }

    /// Finite values over the whole range, no specials.
    static func finite<T: ActivationScalar>(_ type: T.Type, count: Int, seed: UInt64) -> [T] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in value(&generator) }
    }

    /// Half uniform in [−30, 30], half ±2^e with e uniform over a wide exponent range.
    private static func value<T: ActivationScalar>(_ generator: inout SplitMix64) -> T {
        let unit = T(generator.next() >> 11) / T(1 << 53)
        if generator.next() & 1 == 0 { return 60 * unit - 30 }
        let exponent = Int(generator.next() % 240) - 140
        let sign: T = generator.next() & 1 == 0 ? 1 : -1
        return sign * (1 + unit) * T(sign: .plus, exponent: T.Exponent(exponent), significand: 1)
    }
}

/// A small, seedable generator (SplitMix64), so test inputs are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
