import Activations
import Testing

/// The conventions of GELU, SiLU, ELU, SELU and Mish at ±0, ±∞, NaN, subnormals and their
/// kinks, in the definitions and in the Float and Double kernels alike.
@Suite struct DescendantConventionTests {
    static let members: [Activation] = [
        .gelu, .gelu(GELU(approximation: .tanh)), .silu, .elu, try! .elu(alpha: 0.5), .selu, .mish,
    ]

    @Test(arguments: members)
    func infinitiesGiveTheLimits(_ f: Activation) {
        let inf = Double.infinity
        let lambda = SELU.lambda
        let (lower, upperSlope): (Double, Double) = switch f {
        case .elu(let elu): (-elu.alpha, 1)
        case .selu: (-1.7580993408473768, lambda)   // −λα rounded once
        default: (0, 1)
        }
        for (value, derivative) in [(f.value(-inf), f.derivative(-inf)), (Double(f.forward([-inf])[0]), 0)] {
            #expect(value == lower, "\(f)")
            #expect(derivative == 0, "\(f)")
        }
        #expect(f.value(inf) == inf && f.forward([Float.infinity])[0] == .infinity, "\(f)")
        #expect(f.derivative(inf) == upperSlope, "\(f)")
        #expect(f.backward(input: [Float.infinity, -.infinity], gradientOutput: [1, 1]) == [Float(upperSlope), 0], "\(f)")
    }

    @Test(arguments: members)
    func signedZerosAndNaN(_ f: Activation) {
        for x in [0.0, -0.0] {
            #expect(f.value(x).sign == x.sign && f.value(x) == 0, "\(f)(\(x))")
            #expect(f.forward([Float(x)])[0].sign == x.sign, "\(f) kernel (\(x))")
        }
        #expect(f.value(Float.nan).isNaN && f.derivative(Float.nan).isNaN)
        #expect(f.forward([Float.nan])[0].isNaN && f.backward(input: [Float.nan], gradientOutput: [1])[0].isNaN)
        #expect(f.forward([Double.nan])[0].isNaN && f.backward(input: [Double.nan], gradientOutput: [1])[0].isNaN)
    }

    @Test func derivativesAtZero() throws {
        #expect(Activation.gelu.derivative(0.0) == 0.5)
        #expect(Activation.gelu(GELU(approximation: .tanh)).derivative(0.0) == 0.5)
        #expect(Activation.silu.derivative(0.0) == 0.5)
        #expect(Activation.mish.derivative(0.0) == 0.6)
        #expect(Activation.elu.derivative(0.0) == 1)
        #expect(try Activation.elu(alpha: 0.5).derivative(0.0) == 0.5)   // the left branch, as PyTorch
        #expect(try Activation.elu(alpha: 0.5).derivative(Double.leastNonzeroMagnitude) == 1)
        #expect(Activation.selu.derivative(0.0) == 1.7580993408473768)   // λα rounded once
        #expect(Activation.selu.derivative(0.0.nextUp) == SELU.lambda)
    }

    /// Near 0 every member is a multiple of x: for subnormal x the value is c·x rounded once
    /// (c = ½ for gelu and silu, 0.6 for mish, α for elu, λ or λα for selu).
    @Test func subnormalInputs() {
        let x = Double.leastNonzeroMagnitude * 1000
        #expect(Activation.gelu.value(x) == x / 2)
        #expect(Activation.silu.value(-x) == -x / 2)
        #expect(Activation.mish.value(x) == (x * 0.6))
        #expect(Activation.elu.value(-x) == -x)
        #expect(Activation.selu.value(x) == (SELU.lambda * x))
        let f = Float.leastNonzeroMagnitude * 64
        #expect(Activation.gelu.value(f) == f / 2)
        #expect(Activation.silu.value(-f) == -f / 2)
        #expect(Activation.elu.value(-f) == -f)
    }

    /// The tails keep their relative accuracy: gelu(−10) = −10·Φ(−10) = −7.619853e−23.
    @Test func tailsKeepTheirTinyValues() {
        let gelu = Activation.gelu.value(-10.0)
        #expect(gelu < -7.6198e-23 && gelu > -7.6199e-23)
        let silu = Activation.silu.value(-80 as Float)
        #expect(silu < -1.44e-33 && silu > -1.45e-33)
        let mish = Activation.mish.value(-80.0)
        #expect(mish < -1.44e-33 && mish > -1.45e-33)
    }

    @Test func eluRefusesBadAlphas() {
        for alpha in [0, -1, Double.nan, .infinity, -.infinity] {
            #expect(throws: ActivationError.self) { try ELU(alpha: alpha) }
        }
    }
}
