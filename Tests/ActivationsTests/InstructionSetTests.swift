import Activations
import Runtime
import Testing

/// The Float kernels exist once per instruction set (baseline x86-64, AVX2 +
/// FMA, AVX-512) and one is chosen from the CPU at start. Every set this CPU runs must give
/// the bits of the chosen one (NaN as any NaN), so the definition-versus-kernel tests (which run the chosen
/// set) pin them all; on a CPU with AVX-512 all three are compared.
@Suite struct InstructionSetTests {
    static let members: [Activation] = [
        .identity, .relu, .relu(try! ReLU(derivativeAtZero: 0.5)), .leakyReLU(LeakyReLU()),
        try! .leakyReLU(negativeSlope: 0), try! .leakyReLU(negativeSlope: -0.5), .abs,
        .softplus(Softplus()), try! .softplus(beta: 2), try! .softplus(beta: 0.3, threshold: 5),
        try! .softplus(beta: 1, threshold: .infinity), .sigmoid, .tanh,
        .gelu, .gelu(GELU(approximation: .tanh)), .silu, .elu, try! .elu(alpha: 0.5), .selu, .mish,
    ]

    /// Sizes around the lane group, at offsets from an aligned start, and one large enough to
    /// split across threads and stream its output.
    static let sizes = [1, 15, 16, 17, 1001, (1 << 22) + 5]

    @Test func theBestSetIsOneThisCPURuns() {
        #expect(InstructionSet.available.first == .baseline)
        #expect(InstructionSet.available.last == InstructionSet.best)
        #expect(InstructionSet.available.count == InstructionSet.best.rawValue + 1)
    }

    @Test(arguments: members)
    func everySetGivesTheBitsOfTheChosenOne(_ f: Activation) {
        let pool = Samples.mixed(Float.self, count: Self.sizes.max()! + 3, seed: 11)
        let gradients = Samples.finite(Float.self, count: pool.count, seed: 12)
        for size in Self.sizes {
            for offset in size > 1 << 16 ? [1] : [0, 3] {
                let x = Array(pool[offset..<(offset + size)]), g = Array(gradients[..<size])
                let forward = f.forward(x), backward = f.backward(input: x, gradientOutput: g)
                for set in InstructionSet.available where set != .best || size > 1 << 16 {
                    let (y, dx) = Self.run(f, x, g, set)
                    #expect(Self.firstDifference(y, forward) == nil, "\(f) forward \(set) n=\(size)+\(offset)")
                    #expect(Self.firstDifference(dx, backward) == nil, "\(f) backward \(set) n=\(size)+\(offset)")
                }
            }
        }
    }

    /// f(x) and g·f′(x) through the kernels of `set`, on two threads.
    static func run(_ f: Activation, _ x: [Float], _ g: [Float], _ set: InstructionSet) -> ([Float], [Float]) {
        var y = [Float](repeating: 0, count: x.count), dx = y
        Execution(threads: 2).run {
            x.withUnsafeBufferPointer { input in
                g.withUnsafeBufferPointer { gradient in
                    y.withUnsafeMutableBufferPointer { f.forward(input, into: $0, using: set) }
                    dx.withUnsafeMutableBufferPointer {
                        f.backward(input: input, gradientOutput: gradient, into: $0, using: set)
                    }
                }
            }
        }
        return (y, dx)
    }

    /// The first index where the bits differ (any NaN equals any NaN: which operand's NaN an
    /// instruction passes on is not part of the results' contract), with both values.
    static func firstDifference(_ a: [Float], _ b: [Float]) -> (index: Int, Float, Float)? {
        zip(a, b).enumerated().first { _, pair in
            pair.0.bitPattern != pair.1.bitPattern && !(pair.0.isNaN && pair.1.isNaN)
        }.map { ($0.offset, $0.element.0, $0.element.1) }
    }
}
