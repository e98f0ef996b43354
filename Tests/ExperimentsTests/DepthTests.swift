import Activations
import Experiments
import Foundation
import Networks
import Runtime
import Testing

@Suite struct DepthTests {
    /// Central differences in Float64 of the mean loss, grouped into per-layer norms.
    private func finiteDifferenceNorms(_ model: Sequential<Double>, inputs: Matrix<Double>, labels: [Int]) throws -> [LayerStatistic] {
        let store = model.parameters
        let step = 1e-6
        func loss() throws -> Double {
            try Loss.softmaxCrossEntropy.evaluate(outputs: try model.predict(inputs), targets: .classes(labels)).value
        }
        var squares: [String: Double] = [:]
        for info in store.layout.parameters {
            let layer = String(info.name.split(separator: ".").prefix(2).joined(separator: "."))
            for index in info.range {
                let original = store.values[index]
                store.values[index] = original + step
                let plus = try loss()
                store.values[index] = original - step
                let minus = try loss()
                store.values[index] = original
                let derivative = (plus - minus) / (2 * step)
                squares[layer, default: 0] += derivative * derivative
            }
        }
        return squares.keys.sorted { Int($0.split(separator: ".")[1])! < Int($1.split(separator: ".")[1])! }
            .map { LayerStatistic(layer: $0, value: squares[$0]!.squareRoot()) }
    }

    @Test(arguments: ["relu", "prelu", "softplus", "sigmoid", "tanh"])
    func gradientNormsEqualFiniteDifferences(activation: String) throws {
        var generator = SeededGenerator(seed: 11)
        let model = Sequential<Double>(
            architecture: try .multilayerPerceptron(
                inputSize: 3, hiddenSizes: [5, 4], hiddenActivation: try HiddenActivation(parsing: activation), outputSize: 3),
            initialization: try Initialization(), generator: &generator)
        let inputs = try Matrix<Double>(rows: 6, columns: 3, scalars: (0..<18).map { _ in generator.nextNormal() })
        let labels = [0, 1, 2, 2, 1, 0]
        let measurement = try LayerGradientNorms.measure(model, inputs: inputs, targets: .classes(labels))
        let analytic = measurement.norms
        let numeric = try finiteDifferenceNorms(model, inputs: inputs, labels: labels)
        let loss = try Loss.softmaxCrossEntropy.evaluate(outputs: try model.predict(inputs), targets: .classes(labels)).value
        #expect(measurement.loss == loss)
        #expect(analytic.map(\.layer) == numeric.map(\.layer))
        for (a, n) in zip(analytic, numeric) {
            #expect(abs(a.value - n.value) <= 1e-6 * max(1, n.value), "\(a.layer): \(a.value) vs \(n.value)")
        }
    }

    @Test func gradientNormsAgreeWithTheTrainersProbe() throws {
        let data = ExperimentFixtures.subset()
        var generator = SeededGenerator(seed: 3)
        let model = Sequential<Float>(
            architecture: try .multilayerPerceptron(
                inputSize: 12, hiddenSizes: [8, 8], hiddenActivation: .fixed(.relu), outputSize: 10),
            initialization: try Initialization(), generator: &generator)
        let configuration = try TrainingConfiguration(
            epochs: 1, batchSize: 16, optimizer: try OptimizerConfiguration(kind: .sgd, learningRate: 0.1), probeSize: 40)
        let record = try Trainer(model: model, configuration: configuration, generator: generator).train(on: data.training)[0]
        let measured = try LayerGradientNorms.measure(model, on: data.training, samples: 40).norms
        #expect(measured.map(\.layer) == record.gradientNorms.map(\.layer))
        for (mine, trainers) in zip(measured, record.gradientNorms) {
            #expect(abs(mine.value - trainers.value) <= 1e-5 * max(1e-6, trainers.value))
        }
    }

    private func tinyConfiguration() -> DepthConfiguration {
        var configuration = DepthConfiguration(seeds: 2)
        configuration.depths = [1, 3]
        configuration.width = 8
        configuration.activations = ["relu", "tanh"]
        configuration.trainingSamples = 96
        configuration.validationSamples = 32
        configuration.epochs = 2
        configuration.batchSize = 16
        configuration.probeSamples = 32
        return configuration
    }

    @Test func sameSeedsGiveTheSameNumbers() throws {
        let data = ExperimentFixtures.subset()
        let first = try DepthExperiment.measure(configuration: tinyConfiguration(), data: data)
        let second = try DepthExperiment.measure(configuration: tinyConfiguration(), data: data)
        #expect(first.runs.count == 2 * 2 * 2)
        for (a, b) in zip(first.runs, second.runs) {
            #expect(a.trainingLoss == b.trainingLoss)
            #expect(a.epochLosses == b.epochLosses)
            #expect(a.gradientNormsAtInitialisation == b.gradientNormsAtInitialisation)
            #expect(a.gradientNormsAfterTraining == b.gradientNormsAfterTraining)
            #expect(a.gradientNormsAtInitialisation.count == a.depth + 1)
        }
    }

    @Test func runWritesTheDocumentAndItsFigures() throws {
        let directory = ExperimentFixtures.outputDirectory("depth")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = ProgressLog()
        let document = try DepthExperiment.run(
            try ExperimentFixtures.context(directory, log: log), configuration: tinyConfiguration(),
            inputs: ExperimentFixtures.subset())
        #expect(document.claims.count == 2)
        #expect(zip(log.fractions, log.fractions.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(log.fractions.last == 1 && log.finished)
        for file in ["depth.json", "depth-1.csv"] + document.figures.map(\.file) {
            #expect(FileManager.default.fileExists(atPath: directory + "/" + file), "\(file)")
        }
    }

    /// The trials are independent: measured in two shards (every other trial, as two
    /// processes would), written as JSON, read back and put in trial order, they describe to
    /// the same document as one run.
    @Test func trialsMeasuredInShardsDescribeToTheSameDocument() throws {
        let directory = ExperimentFixtures.outputDirectory("depth-shards")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = tinyConfiguration(), data = ExperimentFixtures.subset()
        let trials = try DepthExperiment.trials(configuration, inputs: data)
        let task = ProgressReporter.silent.start("shards", totalWork: 1)
        var merged: [(Int, DepthRun)] = []
        for shard in 0..<2 {
            let indices = Array(stride(from: shard, to: trials.count, by: 2))
            let runs = try indices.map {
                try DepthExperiment.measure(trials[$0], configuration: configuration, inputs: data, progress: task)
            }
            let read = try ExperimentJSON.decoder().decode([DepthRun].self, from: ExperimentJSON.encoder().encode(runs))
            merged += zip(indices, read)
        }
        let runs = merged.sorted { $0.0 < $1.0 }.map(\.1)
        let whole = try DepthExperiment.measure(configuration: configuration, data: data)
        #expect(runs.map(\.trainingLoss) == whole.runs.map(\.trainingLoss))
        #expect(runs.map(\.gradientNormsAtInitialisation) == whole.runs.map(\.gradientNormsAtInitialisation))
        let context = try ExperimentFixtures.context(directory)
        let sharded = try DepthExperiment.describe(runs, configuration: configuration, inputs: data, context: context)
        let single = try DepthExperiment.describe(whole.runs, configuration: configuration, inputs: data, context: context)
        #expect(sharded.claims == single.claims && sharded.tables == single.tables)
    }

    @Test func describeRebuildsTheDocumentFromResultsReadBack() throws {
        let directory = ExperimentFixtures.outputDirectory("depth-describe")
        let again = directory + "-again"
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: again)
        }
        let written = try DepthExperiment.run(
            try ExperimentFixtures.context(directory, seeds: 3), configuration: tinyConfiguration(), inputs: ExperimentFixtures.subset())
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/depth.json"))
        let read = try ExperimentJSON.decoder().decode(ExperimentDocument<DepthResults>.self, from: data)
        #expect(read.results == written.results)
        let rebuilt = try DepthExperiment.describe(
            read.results.runs, configuration: read.results.configuration, inputs: ExperimentFixtures.subset(),
            context: try ExperimentFixtures.context(again))
        #expect(rebuilt.claims == written.claims)
        #expect(rebuilt.tables == written.tables)
        #expect(rebuilt.figures == written.figures)
        #expect(rebuilt.title == written.title && rebuilt.summary == written.summary)
        for figure in rebuilt.figures {
            let original = try String(contentsOfFile: directory + "/" + figure.file, encoding: .utf8)
            #expect(try String(contentsOfFile: again + "/" + figure.file, encoding: .utf8) == original, "\(figure.file)")
        }
    }

    private func run(_ activation: String, depth: Int, seed: UInt64, loss: Double?, norms: [Double]) -> DepthRun {
        DepthRun(
            activation: activation, depth: depth, seed: seed, trainingLoss: loss, validationAccuracy: nil,
            epochLosses: [], gradientNormsAtInitialisation: norms, gradientNormsAfterTraining: nil,
            divergence: loss == nil ? "diverged" : nil, seconds: 0)
    }

    private func results(relu: [Double?], sigmoid: [Double?], tanh: [Double?], ratios: [String: Double]) -> DepthResults {
        var configuration = tinyConfiguration()
        configuration.depths = [32]
        configuration.activations = ["relu", "sigmoid", "tanh"]
        var runs: [DepthRun] = []
        for (name, losses) in [("relu", relu), ("sigmoid", sigmoid), ("tanh", tanh)] {
            for (seed, loss) in losses.enumerated() {
                runs.append(run(name, depth: 32, seed: UInt64(seed), loss: loss, norms: [ratios[name]!, 1]))
            }
        }
        return DepthResults(configuration: configuration, runs: runs)
    }

    @Test func trainabilityNeedsTheSeedSpreadsToSeparate() {
        let separated = results(relu: [0.5, 0.6, 0.55], sigmoid: [2.3, 2.3, 2.3], tanh: [1.2, 1.3, 1.25], ratios: ["relu": 1, "sigmoid": 1e-6, "tanh": 0.1])
        #expect(DepthVerdict.claims(separated)[0].verdict == .supported)
        let overlapping = results(relu: [0.5, 1.3, 0.9], sigmoid: [2.3, 2.3, 2.3], tanh: [1.0, 1.2, 1.1], ratios: ["relu": 1, "sigmoid": 1e-6, "tanh": 0.1])
        #expect(DepthVerdict.claims(overlapping)[0].verdict == .inconclusive)
        // Diverged ReLU runs count as chance, so ReLU cannot beat an untrained sigmoid.
        let diverged = results(relu: [nil, nil, nil], sigmoid: [2.3, 2.3, 2.3], tanh: [1.2, 1.3, 1.25], ratios: ["relu": 1, "sigmoid": 1e-6, "tanh": 0.1])
        #expect(DepthVerdict.claims(diverged)[0].verdict == .notSupported)
        #expect(DepthVerdict.verdictLosses(diverged, activation: "relu", depth: 32) == [log(10), log(10), log(10)])
        // Chance is the data's: with three classes a diverged run counts as ln 3.
        var three = diverged.configuration
        three.classes = 3
        let threeClasses = DepthResults(configuration: three, runs: diverged.runs)
        #expect(DepthVerdict.verdictLosses(threeClasses, activation: "relu", depth: 32) == [log(3), log(3), log(3)])
        #expect(DepthVerdict.claims(threeClasses)[0].measured.contains("(chance 1.099)"))
    }

    @Test func gradientFlowComparesTheLogDistanceFromOne() {
        let losses: [Double?] = [1, 1, 1]
        let vanishingSigmoid = results(relu: losses, sigmoid: losses, tanh: losses, ratios: ["relu": 3, "sigmoid": 1e-6, "tanh": 0.1])
        #expect(DepthVerdict.claims(vanishingSigmoid)[1].verdict == .supported)
        #expect(abs(DepthVerdict.firstToLastRatio(vanishingSigmoid, "relu", 32)! - 3) < 1e-12)
        let reluWorse = results(relu: losses, sigmoid: losses, tanh: losses, ratios: ["relu": 0.01, "sigmoid": 1e-6, "tanh": 0.5])
        #expect(DepthVerdict.claims(reluWorse)[1].verdict == .notSupported)
    }

    /// ReLU diverges at the shared rate and trains at its tuned one: the two readings are
    /// judged apart, each naming its rates.
    @Test func trainabilityIsJudgedAtTheSharedAndTheTunedRates() {
        var both = results(relu: [nil, nil, nil], sigmoid: [2.3, 2.3, 2.3], tanh: [1.2, 1.3, 1.25], ratios: ["relu": 1, "sigmoid": 1e-6, "tanh": 0.1])
        var configuration = both.configuration
        configuration.tunedRates = TunedRates(rates: ["relu": 0.001, "sigmoid": 0.1, "tanh": 0.0316].map {
            TunedRate(
                activation: $0.key, optimizer: "sgd-momentum", tunedLearningRate: $0.value, sharedLearningRate: 0.01,
                grid: [0.001, 0.0316, 0.1], validationAccuracies: [0.5, 0.5, 0.5])
        })
        var runs = both.runs
        for (name, losses) in [("relu", [0.4, 0.5, 0.45]), ("sigmoid", [2.3, 2.3, 2.3]), ("tanh", [1.2, 1.3, 1.25])] {
            for (seed, loss) in losses.enumerated() {
                var tuned = run(name, depth: 32, seed: UInt64(seed), loss: loss, norms: [1, 1])
                tuned.optimizer = "sgd-momentum-tuned"
                runs.append(tuned)
            }
        }
        both = DepthResults(configuration: configuration, runs: runs)
        let claims = DepthVerdict.claims(both)
        #expect(claims.count == 3)
        #expect(claims[0].verdict == .notSupported && claims[0].claim.contains("shared rate 0.01"))
        #expect(claims[1].verdict == .supported && claims[1].claim.contains("relu 0.001, sigmoid 0.1, tanh 0.0316"))
        #expect(both.runs(activation: "relu", depth: 32).count == 3 && both.runs(activation: "relu", depth: 32, tuned: true).count == 3)
    }

    @Test func tunedRatesAddTheDeepestRunsAtThoseRates() throws {
        var configuration = tinyConfiguration()
        configuration.tunedRates = TunedRates(rates: ["relu": 0.001, "tanh": 0.1].map {
            TunedRate(
                activation: $0.key, optimizer: "sgd-momentum", tunedLearningRate: $0.value, sharedLearningRate: 0.01,
                grid: [0.001, 0.1], validationAccuracies: [0.5, 0.5])
        })
        let trials = try DepthExperiment.trials(configuration, inputs: ExperimentFixtures.subset())
        let tuned = trials.filter(\.optimizer.isTuned)
        #expect(trials.count == 2 * 2 * 2 + 2 * 2 && tuned.count == 4)
        #expect(tuned.allSatisfy { $0.hiddenSizes?.count == 3 })
        #expect(tuned.first { $0.activation.description == "tanh" }?.optimizer.configuration.learningRate == 0.1)
        #expect(configuration.rateTuning.budget.hiddenSizes == [8, 8, 8])
        #expect(configuration.rateTuning.standardInitialization)
        // A tuned rate equal to the shared one trains nothing twice; its shared runs stand in.
        configuration.tunedRates = TunedRates(rates: ["relu": 0.01, "tanh": 0.1].map {
            TunedRate(
                activation: $0.key, optimizer: "sgd-momentum", tunedLearningRate: $0.value, sharedLearningRate: 0.01,
                grid: [0.01, 0.1], validationAccuracies: [0.5, 0.5])
        })
        let fewer = try DepthExperiment.trials(configuration, inputs: ExperimentFixtures.subset())
        #expect(fewer.filter(\.optimizer.isTuned).map(\.activation.description) == ["tanh", "tanh"])
        let results = DepthResults(
            configuration: configuration,
            runs: [run("relu", depth: 3, seed: 0, loss: 0.5, norms: [1, 1]), run("relu", depth: 3, seed: 1, loss: 0.6, norms: [1, 1])])
        #expect(results.runs(activation: "relu", depth: 3, tuned: true).map(\.trainingLoss) == [0.5, 0.6])
    }

    @Test func missingActivationsAreNotSupported() {
        var configuration = tinyConfiguration()
        configuration.activations = ["relu"]
        let onlyRelu = DepthResults(configuration: configuration, runs: [run("relu", depth: 3, seed: 0, loss: 0.1, norms: [1, 1])])
        #expect(DepthVerdict.claims(onlyRelu).allSatisfy { $0.verdict == .inconclusive && $0.measured.hasPrefix("not measured") })
    }

    @Test func impossibleConfigurationsAreTypedErrors() {
        var configuration = tinyConfiguration()
        configuration.depths = [0]
        #expect(throws: ExperimentError.self) {
            try DepthExperiment.measure(configuration: configuration, data: ExperimentFixtures.subset())
        }
    }
}
