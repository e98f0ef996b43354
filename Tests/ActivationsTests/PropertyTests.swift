import Activations
import Runtime
import Testing

/// Properties the family must have whatever the implementation: derivatives agree with
/// central differences, the monotone members are monotone, and the symmetries hold.
@Suite struct PropertyTests {
    static let differentiable: [Activation] = [
        .identity, .relu, .leakyReLU(LeakyReLU()), try! .leakyReLU(negativeSlope: -0.5), .abs,
        .softplus(Softplus()), try! .softplus(beta: 2), try! .softplus(beta: 0.3, threshold: 5),
        .sigmoid, .tanh,
    ]

    /// f′(x) from the kernels against (f(x + h) − f(x − h))/2h from the kernels, in Double,
    /// at points at least 10h from a kink (0, and softplus's switch to the identity).
    @Test(arguments: differentiable)
    func derivativeMatchesCentralDifference(_ f: Activation) {
        var generator = SplitMix64(seed: 11)
        let x: [Double] = (0..<2000).map { _ in
            Double(generator.next() >> 11) / Double(1 << 53) * 60 - 30
        }
        let step = 1e-5
        let kinks = [0.0] + softplusSwitch(f)
        let points = x.filter { p in kinks.allSatisfy { abs(p - $0) > 10 * step * max(1, abs(p)) } }
        let h = points.map { step * max(1, abs($0)) }
        let above = f.forward(zip(points, h).map { $0 + $1 })
        let below = f.forward(zip(points, h).map { $0 - $1 })
        let derivative = f.backward(input: points, gradientOutput: [Double](repeating: 1, count: points.count))
        for i in points.indices {
            let difference = (above[i] - below[i]) / (2 * h[i])
            // Truncation error ~h²·|f‴|, rounding error ~ulp(f)/h.
            let tolerance = 1e-7 * max(1, abs(derivative[i])) + 1e-9 * max(1, abs(above[i]))
            #expect(abs(difference - derivative[i]) <= tolerance,
                    "\(f) at \(points[i]): derivative \(derivative[i]), difference \(difference)")
        }
        #expect(points.count > 1900)
    }

    /// Where softplus switches to the identity (β·x = threshold), as an x.
    private func softplusSwitch(_ f: Activation) -> [Double] {
        if case .softplus(let s) = f { return [s.threshold / s.beta] }
        return []
    }

    /// Kernels on inputs far enough apart that the function moves by many ulp between them
    /// (a faithful result may wobble by an ulp between neighbouring floats); the scalar
    /// definitions, correctly rounded, on runs of neighbouring floats.
    @Test(arguments: [
        Activation.identity, .relu, .leakyReLU(LeakyReLU()), .softplus(Softplus()),
        try! .softplus(beta: 2), .sigmoid, .tanh,
    ])
    func monotoneMembersAreMonotone(_ f: Activation) {
        let spaced: [Float] = stride(from: -40, through: 40, by: 0.001).map { Float($0) }
        let kernelValues = f.forward(spaced)
        #expect(zip(kernelValues, kernelValues.dropFirst()).allSatisfy { $0 <= $1 }, "\(f) Float kernel")
        let doubleValues = f.forward(spaced.map { Double($0) })
        #expect(zip(doubleValues, doubleValues.dropFirst()).allSatisfy { $0 <= $1 }, "\(f) Double kernel")
        for centre: Float in [0, -17, 20, 10, -87.3, 0.35, 5] {
            var neighbours: [Float] = []
            var x = centre
            for _ in 0..<2000 { x = x.nextDown }
            for _ in 0..<4000 {
                neighbours.append(x)
                x = x.nextUp
            }
            let values = neighbours.map { f.value($0) }
            #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 }, "\(f) definition near \(centre)")
        }
    }

    /// The tanh Float kernel is made of polynomial pieces (a switches piece where a + 1 crosses
    /// 1.25, 1.5, 1.75, 2, 2.5, …, and is 1 from 9): it is monotone on every Float, checked here on
    /// runs of 2^18 neighbouring floats either side of each switch (a + a·q(a) below 0.25 is
    /// what keeps the run below 0.25 monotone; every Float was checked by an exhaustive sweep,
    /// bench/performance-notes.md).
    @Test func tanhKernelIsMonotoneAcrossItsPieces() {
        for edge: Float in [0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 9, 9.5] {
            let run = (-(1 << 18)...(1 << 18)).map { Float(bitPattern: UInt32(Int(edge.bitPattern) + $0)) }
            let values = Activation.tanh.forward(run)
            #expect(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 }, "around \(edge)")
        }
    }

    /// softplus(x) − softplus(−x) = x, below the threshold, within a few ulp of the larger
    /// side.
    @Test func softplusIsTheIdentityPlusAnEvenFunction() {
        for beta in [1.0, 2.0, 0.3] {
            let f = try! Activation.softplus(beta: beta, threshold: 1e6)
            let x: [Double] = stride(from: -60, through: 60, by: 0.0137).map { $0 }
            let plus = f.forward(x), minus = f.forward(x.map { -$0 })
            for i in x.indices {
                let scale = max(plus[i], minus[i])
                #expect(abs(plus[i] - minus[i] - x[i]) <= 4 * scale.ulp, "β = \(beta), x = \(x[i])")
            }
            let xf = x.map { Float($0) }
            let plusF = f.forward(xf), minusF = f.forward(xf.map { -$0 })
            for i in xf.indices {
                let scale = max(plusF[i], minusF[i])
                #expect(abs(plusF[i] - minusF[i] - xf[i]) <= 4 * scale.ulp, "Float β = \(beta), x = \(xf[i])")
            }
        }
    }

    /// sigmoid(x) + sigmoid(−x) = 1 within a few ulp of 1; tanh is odd exactly.
    @Test func sigmoidIsSymmetricAndTanhIsOdd() {
        let x: [Float] = stride(from: -90, through: 90, by: 0.00731).map { Float($0) }
        let plus = Activation.sigmoid.forward(x), minus = Activation.sigmoid.forward(x.map { -$0 })
        for i in x.indices {
            #expect(abs(plus[i] + minus[i] - 1) <= 4 * Float(1).ulp, "x = \(x[i])")
        }
        let xd = x.map { Double($0) }
        let plusD = Activation.sigmoid.forward(xd), minusD = Activation.sigmoid.forward(xd.map { -$0 })
        for i in xd.indices {
            #expect(abs(plusD[i] + minusD[i] - 1) <= 4 * Double(1).ulp, "x = \(xd[i])")
        }
        let tanhPlus = Activation.tanh.forward(x), tanhMinus = Activation.tanh.forward(x.map { -$0 })
        #expect(zip(tanhPlus, tanhMinus).allSatisfy { $0 == -$1 })
    }
}
