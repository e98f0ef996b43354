import Activations
import Testing

/// Every numerical convention of the family, pinned by name.
@Suite struct ConventionTests {
    @Test func reluDerivativeAtZeroIsZeroByDefault() {
        #expect(Activation.relu.derivative(0.0 as Double) == 0)
        #expect(Activation.relu.derivative(-0.0 as Float) == 0)
    }

    @Test func reluDerivativeAtZeroCanBeChosen() throws {
        let relu = try ReLU(derivativeAtZero: 0.5)
        #expect(relu.derivative(0.0 as Double) == 0.5)
        #expect(relu.derivative(1e-300 as Double) == 1)
        #expect(relu.derivative(-1e-300 as Double) == 0)
        #expect(relu.savedForBackward == .input)
        #expect(ReLU().savedForBackward == .output)
        #expect(throws: ActivationError.self) { try ReLU(derivativeAtZero: 1.5) }
        #expect(throws: ActivationError.self) { try ReLU(derivativeAtZero: .nan) }
    }

    @Test func leakyDerivativeAtZeroIsTheLeftSlope() throws {
        let leaky = try Activation.leakyReLU(negativeSlope: 0.1)
        #expect(leaky.derivative(0.0 as Float) == Float(0.1))
        #expect(leaky.derivative(-0.0 as Float) == Float(0.1))
    }

    @Test func leakySpecialSlopesNameOtherFunctions() throws {
        let zero = try Activation.leakyReLU(negativeSlope: 0)
        let one = try Activation.leakyReLU(negativeSlope: 1)
        let minusOne = try Activation.leakyReLU(negativeSlope: -1)
        for x in [-3.5, -Double.leastNormalMagnitude / 8, 0, 2.25, -Double.infinity, .infinity] {
            #expect(zero.value(x) == Activation.relu.value(x))
            #expect(one.value(x) == x)
            #expect(minusOne.value(x) == Activation.abs.value(x))
        }
    }

    @Test func leakyRefusesNonFiniteSlopes() {
        #expect(throws: ActivationError.self) { try LeakyReLU(negativeSlope: .nan) }
        #expect(throws: ActivationError.self) { try LeakyReLU(negativeSlope: .infinity) }
        #expect(throws: Never.self) { try LeakyReLU(negativeSlope: -7.5) }
    }

    @Test func backwardFromOutputOnlyWhenTheSignTellsTheSide() throws {
        #expect(try Activation.leakyReLU(negativeSlope: 0.2).savedForBackward == .output)
        #expect(try Activation.leakyReLU(negativeSlope: -0.2).savedForBackward == .input)
        #expect(Activation.softplus.savedForBackward == .input)
    }

    @Test func absDerivativeAtZeroIsZero() {
        #expect(Activation.abs.derivative(0.0 as Double) == 0)
        #expect(Activation.abs.derivative(-2.0 as Double) == -1)
    }

    @Test func signedZeros() {
        #expect(Activation.relu.value(-0.0 as Float).sign == .minus)
        #expect(Activation.abs.value(-0.0 as Float).sign == .plus)
        #expect(Activation.tanh.value(-0.0 as Double).sign == .minus)
        #expect(Activation.sigmoid.value(-0.0 as Double) == 0.5)
        #expect(Activation.softplus.value(-0.0 as Double) == Double.log(2))
    }

    @Test func nanPropagates() {
        for f in Activation.family {
            #expect(f.value(Float.nan).isNaN, "\(f)")
            #expect(f.derivative(Double.nan).isNaN, "\(f)")
        }
    }

    @Test func infinitiesGiveTheLimits() {
        let inf = Double.infinity
        #expect(Activation.relu.value(-inf) == 0)
        #expect(Activation.softplus.value(-inf) == 0)
        #expect(Activation.softplus.value(inf) == inf)
        #expect(Activation.sigmoid.value(-inf) == 0)
        #expect(Activation.sigmoid.value(inf) == 1)
        #expect(Activation.tanh.value(-inf) == -1)
        #expect(Activation.sigmoid.derivative(inf) == 0)
        #expect(Activation.tanh.derivative(-inf) == 0)
        #expect(Activation.softplus.derivative(-inf) == 0)
    }

    @Test func softplusKeepsItsTinyTail() {
        let y = Activation.softplus.value(-100.0 as Double)
        #expect(y > 3.72e-44 && y < 3.73e-44)
        let z = Activation.sigmoid.value(-80 as Float)
        #expect(z > 1.8e-35 && z < 1.81e-35)
    }

    @Test func softplusThresholdIsPyTorchs() throws {
        let f = try Softplus(beta: 2, threshold: 20)
        #expect(f.value(10.5 as Double) == 10.5)  // β·x = 21 > 20: linear
        #expect(f.value(9.5 as Double) > 9.5)
        #expect(f.derivative(10.5 as Double) == 1)
        #expect(throws: ActivationError.self) { try Softplus(beta: 0) }
        #expect(throws: ActivationError.self) { try Softplus(beta: -1) }
        #expect(throws: ActivationError.self) { try Softplus(threshold: .nan) }
    }
}

import RealModule
