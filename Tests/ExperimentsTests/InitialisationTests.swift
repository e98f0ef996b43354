import Experiments
import Foundation
import Networks
import Testing

@Suite struct InitialisationTests {
    private func tinyConfiguration() -> InitialisationConfiguration {
        var configuration = InitialisationConfiguration(seeds: 2)
        configuration.scales = [0.5, 2]
        configuration.activations = ["relu", "sigmoid"]
        configuration.hiddenSizes = [8, 8]
        configuration.trainingSamples = 96
        configuration.validationSamples = 32
        configuration.epochs = 2
        configuration.batchSize = 16
        configuration.targetAccuracy = 0.2
        return configuration
    }

    /// A diverged run counts at the data's chance, 1/classes: 1/3 on three classes.
    @Test func aDivergedRunCountsAtTheDatasChance() throws {
        let ten = ExperimentFixtures.subset()
        func three(_ data: Dataset<Float>) throws -> Dataset<Float> {
            try Dataset(features: data.features, labels: (data.labels ?? []).map { $0 % 3 })
        }
        let data = ExperimentData(training: try three(ten.training), validation: try three(ten.validation), description: "three")
        var configuration = tinyConfiguration()
        configuration.activations = ["relu"]  // a saturated sigmoid passes no gradient and stays finite
        configuration.learningRate = 1e30
        let runs = try InitialisationExperiment.measure(configuration: configuration, data: data).runs
        #expect(!runs.isEmpty && runs.allSatisfy { $0.divergence != nil && $0.validationAccuracy == 1.0 / 3 && !$0.reachedTarget })
    }

    @Test func sameSeedsGiveTheSameNumbers() throws {
        let data = ExperimentFixtures.subset()
        let first = try InitialisationExperiment.measure(configuration: tinyConfiguration(), data: data)
        let second = try InitialisationExperiment.measure(configuration: tinyConfiguration(), data: data)
        #expect(first == second)
        #expect(first.runs.count == 2 * 2 * 2)
        for run in first.runs {
            #expect(run.reachedTarget == (run.validationAccuracy >= 0.2))
            #expect(run.scheme == (run.activation == "sigmoid" ? "Glorot" : "He"))
        }
    }

    @Test func runWritesTheDocumentAndItsFigures() throws {
        let directory = ExperimentFixtures.outputDirectory("initialisation")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let document = try InitialisationExperiment.run(
            try ExperimentFixtures.context(directory), configuration: tinyConfiguration(),
            inputs: ExperimentFixtures.subset())
        #expect(document.claims.count == 1)
        for file in ["initialisation.json", "initialisation-1.csv"] + document.figures.map(\.file) {
            #expect(FileManager.default.fileExists(atPath: directory + "/" + file), "\(file)")
        }
    }

    /// Results with `accuracies[activation][scale index]` for one seed.
    private func results(_ accuracies: [String: [Double]], target: Double = 0.7) -> InitialisationResults {
        var configuration = tinyConfiguration()
        configuration.targetAccuracy = target
        var runs: [InitialisationRun] = []
        for (activation, values) in accuracies {
            for (scale, accuracy) in zip(configuration.scales, values) {
                runs.append(InitialisationRun(
                    activation: activation, scale: scale, scheme: "He", seed: 0, validationAccuracy: accuracy,
                    trainingLoss: nil, reachedTarget: accuracy >= target, divergence: nil))
            }
        }
        return InitialisationResults(configuration: configuration, runs: runs)
    }

    @Test func successRateCountsRunsReachingTheTarget() {
        let grid = results(["relu": [0.8, 0.6]])
        #expect(grid.successRate(activation: "relu") == 0.5)
        #expect(grid.successRate(activation: "relu", scale: 0.5) == 1)
        #expect(grid.successRate(activation: "tanh") == nil)
        #expect(abs(InitialisationVerdict.sensitivity(grid, activation: "relu")! - 0.2) < 1e-12)
    }

    @Test func verdictNeedsMoreSuccessesAndASmallerRange() {
        #expect(InitialisationVerdict.claim(results(["relu": [0.8, 0.78], "sigmoid": [0.1, 0.75], "tanh": [0.72, 0.5]])).verdict == .supported)
        // Same success rate, but ReLU's accuracy moves more with the scale than tanh's.
        #expect(InitialisationVerdict.claim(results(["relu": [0.8, 0.7], "sigmoid": [0.1, 0.75], "tanh": [0.75, 0.72]])).verdict == .notSupported)
        // Fewer successes than tanh.
        #expect(InitialisationVerdict.claim(results(["relu": [0.8, 0.69], "sigmoid": [0.1, 0.75], "tanh": [0.75, 0.71]])).verdict == .notSupported)
        // As many successes as tanh and a smaller range: "more runs" is not shown, inconclusive.
        #expect(InitialisationVerdict.claim(results(["relu": [0.8, 0.79], "sigmoid": [0.1, 0.75], "tanh": [0.9, 0.72]])).verdict == .inconclusive)
        #expect(InitialisationVerdict.claim(results(["relu": [0.8, 0.8]])).verdict == .inconclusive)
    }

    @Test func tunedRatesAddTheGridAtThoseRatesAndASecondClaim() throws {
        var configuration = tinyConfiguration()
        configuration.tunedRates = TunedRates(rates: configuration.activations.map {
            TunedRate(
                activation: $0, optimizer: "sgd-momentum", tunedLearningRate: 0.0316, sharedLearningRate: 0.01,
                grid: [0.01, 0.0316], validationAccuracies: [0.5, 0.6])
        })
        let trials = try InitialisationExperiment.trials(configuration, inputs: ExperimentFixtures.subset())
        #expect(trials.filter(\.optimizer.isTuned).count * 2 == trials.count)
        #expect(trials.filter(\.optimizer.isTuned).allSatisfy { $0.optimizer.configuration.learningRate == 0.0316 })
        #expect(configuration.rateTuning.standardInitialization)
    }

    @Test func impossibleConfigurationsAreTypedErrors() {
        var configuration = tinyConfiguration()
        configuration.targetAccuracy = 1.5
        #expect(throws: ExperimentError.self) {
            try InitialisationExperiment.measure(configuration: configuration, data: ExperimentFixtures.subset())
        }
    }
}
