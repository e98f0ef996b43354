import Activations
import Networks
import Runtime
import Testing

/// Weight statistics of each scheme on a 1000 → 400 layer (400 000 draws).
@Suite struct InitializationTests {
    static func weights(
        _ scheme: Initialization.Scheme, scale: Double = 1, hidden: String, seed: UInt64 = 9
    ) throws -> (weights: [Double], model: Sequential<Double>) {
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: 1000, hiddenSizes: [400], hiddenActivation: try HiddenActivation(parsing: hidden), outputSize: 2)
        var generator = SeededGenerator(seed: seed)
        let model = Sequential<Double>(
            architecture: architecture, initialization: try Initialization(scheme: scheme, scale: scale),
            generator: &generator)
        return (try model.parameters.tensor(named: "layers.0.weight"), model)
    }

    static func moments(_ values: [Double]) -> (mean: Double, variance: Double) {
        let mean = values.reduce(0, +) / Double(values.count)
        return (mean, values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count))
    }

    static let cases: [(Initialization.Scheme, String, Double, Double)] = [
        (.heNormal, "relu", 1.0, 2.0 / 1000),
        (.heNormal, "prelu", 1.0, 2.0 / (1 + 0.0625) / 1000),
        (.heNormal, "leaky:0.1", 1.0, 2.0 / 1.01 / 1000),
        (.heNormal, "abs", 1.0, 1.0 / 1000),
        (.heNormal, "tanh", 1.0, 2.0 / 1000),
        (.heNormal, "selu", 1.0, 1.0 / 1000),
        (.heNormal, "gelu", 1.0, 2.0 / 1000),
        (.heNormal, "silu", 1.0, 2.0 / 1000),
        (.heNormal, "elu:alpha=0.5", 1.0, 2.0 / 1000),
        (.heNormal, "mish", 1.0, 2.0 / 1000),
        (.heUniform, "relu", 1.0, 2.0 / 1000),
        (.heUniform, "prelu:init=0.5", 1.0, 2.0 / 1.25 / 1000),
        (.glorotNormal, "tanh", 1.0, 2.0 / 1400),
        (.glorotUniform, "sigmoid", 1.0, 2.0 / 1400),
        (.heNormal, "relu", 4.0, 16 * 2.0 / 1000),
        (.heUniform, "relu", 0.25, 2.0 / 1000 / 16),
    ]

    @Test(arguments: cases)
    func variance(scheme: Initialization.Scheme, hidden: String, scale: Double, expected: Double) throws {
        let (values, model) = try Self.weights(scheme, scale: scale, hidden: hidden)
        let (mean, variance) = Self.moments(values)
        #expect(abs(mean) < 5 * (expected / Double(values.count)).squareRoot())
        #expect(abs(variance / expected - 1) < 0.02)
        if scheme == .heUniform || scheme == .glorotUniform {
            #expect(values.allSatisfy { abs($0) <= (3 * expected).squareRoot() })
        }
        #expect(try model.parameters.tensor(named: "layers.0.bias").allSatisfy { $0 == 0 })
    }

    @Test func heGainForLeakySlopes() {
        #expect(Initialization.heGain(negativeSlope: 0) == 2.0.squareRoot())
        #expect(Initialization.heGain(negativeSlope: 1) == 1)
        #expect(abs(Initialization.heGain(negativeSlope: 0.25) - (2 / 1.0625).squareRoot()) < 1e-15)
    }

    @Test func outputLayerUsesTheReLUGainAndOverridesApply() throws {
        let (_, model) = try Self.weights(.heNormal, hidden: "prelu")
        let output = Self.moments(try model.parameters.tensor(named: "layers.2.weight")).variance
        #expect(abs(output / (2.0 / 400) - 1) < 0.25)  // 800 draws
        let architecture = model.architecture
        var generator = SeededGenerator(seed: 9)
        let linear = Sequential<Double>(
            architecture: architecture, initialization: try Initialization(negativeSlope: 1), generator: &generator)
        let variance = Self.moments(try linear.parameters.tensor(named: "layers.0.weight")).variance
        #expect(abs(variance / (1.0 / 1000) - 1) < 0.02)
    }

    @Test func slopesStartAtTheirInitialValue() throws {
        let (_, model) = try Self.weights(.heNormal, hidden: "prelu:init=0.1")
        #expect(try model.parameters.tensor(named: "layers.1.slopes") == [Double](repeating: 0.1, count: 400))
    }

    @Test func sameSeedSameWeightsAndFloatIsRoundedDouble() throws {
        let (first, _) = try Self.weights(.heNormal, hidden: "relu")
        let (again, _) = try Self.weights(.heNormal, hidden: "relu")
        let (other, _) = try Self.weights(.heNormal, hidden: "relu", seed: 10)
        #expect(first == again)
        #expect(first != other)
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: 1000, hiddenSizes: [400], hiddenActivation: .fixed(.relu), outputSize: 2)
        var generator = SeededGenerator(seed: 9)
        let single = Sequential<Float>(architecture: architecture, initialization: try Initialization(), generator: &generator)
        #expect(try single.parameters.tensor(named: "layers.0.weight") == first.map { Float($0) })
    }

    @Test(arguments: [0.0, -1.0, .nan, .infinity])
    func badScaleIsATypedError(scale: Double) {
        #expect(throws: NetworkError.self) { try Initialization(scale: scale) }
    }
}
