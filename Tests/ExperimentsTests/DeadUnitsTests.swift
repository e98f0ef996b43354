import Activations
import Experiments
import Foundation
import Networks
import Runtime
import Testing

@Suite struct DeadUnitsTests {
    /// 2 inputs → 4 hidden units → 2 outputs, weights set by hand:
    /// unit 0: z = x₀ (positive on the probe), unit 1: z = −x₀ − x₁ − 10 (always negative),
    /// unit 2: z = 0 (always exactly zero), unit 3: z = x₁ + 0.5 (positive).
    private func handBuilt(_ activation: HiddenActivation) throws -> Sequential<Double> {
        let model = Sequential<Double>(
            architecture: try .multilayerPerceptron(inputSize: 2, hiddenSizes: [4], hiddenActivation: activation, outputSize: 2))
        try model.parameters.setTensor(named: "layers.0.weight", to: [1, 0, -1, -1, 0, 0, 0, 1])
        try model.parameters.setTensor(named: "layers.0.bias", to: [0, -10, 0, 0.5])
        return model
    }

    private let probe = try! Matrix<Double>([[0.5, 0.2], [0.1, 0.9], [0.7, 0.0]])

    @Test func reluUnitsThatAreNeverPositiveAreDead() throws {
        let activity = try UnitActivity.measure(try handBuilt(.fixed(.relu)), inputs: probe)
        // Units 1 and 2 output 0 everywhere; for ReLU dead and inactive are the same units.
        #expect(activity == [UnitActivity(layer: "layers.1", deadFraction: 0.5, inactiveFraction: 0.5)])
    }

    @Test func leakyUnitsOnTheNegativeSideStillRespond() throws {
        let activity = try UnitActivity.measure(try handBuilt(.fixed(.leakyReLU(try LeakyReLU(negativeSlope: 0.01)))), inputs: probe)
        // Unit 1 outputs 0.01·z ≠ 0 (inactive, not dead); unit 2 outputs leaky(0) = 0.
        #expect(activity == [UnitActivity(layer: "layers.1", deadFraction: 0.25, inactiveFraction: 0.5)])
        let prelu = try UnitActivity.measure(try handBuilt(try HiddenActivation(parsing: "prelu")), inputs: probe)
        #expect(prelu == [UnitActivity(layer: "layers.1", deadFraction: 0.25, inactiveFraction: 0.5)])
    }

    @Test func deadFractionsAgreeWithTheTrainersProbe() throws {
        let data = ExperimentFixtures.subset()
        var generator = SeededGenerator(seed: 5)
        let model = Sequential<Float>(
            architecture: try .multilayerPerceptron(
                inputSize: 12, hiddenSizes: [16, 16], hiddenActivation: .fixed(.relu), outputSize: 10),
            initialization: try Initialization(), generator: &generator)
        let configuration = try TrainingConfiguration(
            epochs: 2, batchSize: 8, optimizer: try OptimizerConfiguration(kind: .adam, learningRate: 0.1), probeSize: 50)
        let records = try Trainer(model: model, configuration: configuration, generator: generator).train(on: data.training)
        let activity = try UnitActivity.measure(model, inputs: data.training.features.rows(0..<50))
        #expect(activity.map(\.layer) == records.last!.deadUnitFractions.map(\.layer))
        #expect(activity.map(\.deadFraction) == records.last!.deadUnitFractions.map(\.value))
    }

    private func tinyConfiguration() -> DeadUnitsConfiguration {
        var configuration = DeadUnitsConfiguration(seeds: 2)
        configuration.learningRates = [1e-3, 0.1]
        configuration.hiddenSizes = [8, 8]
        configuration.trainingSamples = 96
        configuration.validationSamples = 32
        configuration.epochs = 2
        configuration.batchSize = 16
        configuration.probeSamples = 32
        return configuration
    }

    @Test func sameSeedsGiveTheSameNumbers() throws {
        let data = ExperimentFixtures.subset()
        let first = try DeadUnitsExperiment.measure(configuration: tinyConfiguration(), data: data)
        let second = try DeadUnitsExperiment.measure(configuration: tinyConfiguration(), data: data)
        #expect(first == second)
        #expect(first.runs.count == 3 * 2 * 2)
        for run in first.runs {
            #expect(run.deadFractions.count == 3 && run.deadFractions.allSatisfy { $0.count == 2 })
            #expect(run.initialActivity.map(\.deadFraction) == run.deadFractions[0])
            #expect(run.finalActivity.map(\.deadFraction) == run.deadFractions[2])
            #expect(run.slopes.count == (run.activation == "prelu" ? 2 : 0))
        }
    }

    @Test func runWritesTheDocumentAndItsFigures() throws {
        let directory = ExperimentFixtures.outputDirectory("dead-units")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let document = try DeadUnitsExperiment.run(
            try ExperimentFixtures.context(directory), configuration: tinyConfiguration(),
            inputs: ExperimentFixtures.subset())
        #expect(document.figures.count == 2)
        for file in ["dead-units.json", "dead-units-1.csv"] + document.figures.map(\.file) {
            #expect(FileManager.default.fileExists(atPath: directory + "/" + file), "\(file)")
        }
    }

    /// Results whose final dead fractions are `dead[activation][rate index]`, for one seed,
    /// or for three seeds at that value − `spread`, at it, and + `spread` (at least 0).
    private func results(_ dead: [String: [Double]], spread: Double? = nil) -> DeadUnitsResults {
        var configuration = tinyConfiguration()
        configuration.learningRates = [0.001, 0.05]
        var runs: [DeadUnitsRun] = []
        let offsets: [Double] = spread.map { [-$0, 0, $0] } ?? [0]
        for (activation, fractions) in dead {
            for (rate, center) in zip(configuration.learningRates, fractions) {
                for (seed, offset) in offsets.enumerated() {
                    let fraction = max(0, center + offset)
                    let layer = UnitActivity(layer: "layers.1", deadFraction: fraction, inactiveFraction: fraction)
                    runs.append(DeadUnitsRun(
                        activation: activation, learningRate: rate, seed: UInt64(seed), deadFractions: [[0], [fraction]],
                        initialActivity: [], finalActivity: [layer], validationAccuracy: nil, slopes: [], divergence: nil))
                }
            }
        }
        return DeadUnitsResults(configuration: configuration, runs: runs)
    }

    @Test func verdictNeedsFewerDeadUnitsAtSomeRateAndNoMoreAtAny() {
        #expect(DeadUnitsVerdict.claim(results(["relu": [0, 0.3], "leaky:0.01": [0, 0], "prelu": [0, 0.1]])).verdict == .supported)
        // Nothing to improve on: ReLU lost no unit.
        #expect(DeadUnitsVerdict.claim(results(["relu": [0, 0], "leaky:0.01": [0, 0], "prelu": [0, 0]])).verdict == .notSupported)
        // PReLU worse at one rate.
        #expect(DeadUnitsVerdict.claim(results(["relu": [0.01, 0.3], "leaky:0.01": [0, 0], "prelu": [0.02, 0.1]])).verdict == .notSupported)
        // Fewer on average, but the seeds' spreads overlap: inconclusive.
        let close = results(["relu": [0, 0.3], "leaky:0.01": [0, 0.25], "prelu": [0, 0.25]], spread: 0.1)
        #expect(DeadUnitsVerdict.claim(close).verdict == .inconclusive)
        // The same gap with tight seeds: supported.
        let tight = results(["relu": [0, 0.3], "leaky:0.01": [0, 0.25], "prelu": [0, 0.25]], spread: 0.01)
        #expect(DeadUnitsVerdict.claim(tight).verdict == .supported)
        #expect(DeadUnitsVerdict.claim(results(["relu": [0, 0.3]])).verdict == .inconclusive)
    }
}
