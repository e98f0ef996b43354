import Activations
import Networks
import Runtime
import Testing

/// Bad hyper-parameters, data and parameters (docs/RELIABILITY.md): each is a typed error
/// whose one-line message names the value at fault, never a crash or a silent NaN. Cases the
/// other suites pin (batch size larger than the data, a NaN feature in training, bad saved
/// states, bad optimiser constants) are not repeated here.
@Suite struct BadInputTests {
    static func isOneLine(_ error: any Error, naming text: String) -> Bool {
        let description = "\(error)"
        return description.contains(text) && !description.contains("\n")
    }

    static let data = TrainingData.blobs(count: 60, dimensions: 3, classes: 3, seed: 40)

    static func model() throws -> Sequential<Double> {
        try TrainingData.model(data, hidden: [5], activation: "relu", outputs: 3, seed: 41).0
    }

    @Test(arguments: [
        "softplus:beta=0", "softplus:beta=-1", "softplus:beta=-0", "softplus:beta=nan", "softplus:beta=inf",
        "softplus:threshold=nan", "leaky:nan", "leaky:inf", "prelu:init=inf", "prelu:init=-inf",
    ])
    func impossibleActivationParameters(text: String) {
        #expect {
            try HiddenActivation(parsing: text)
        } throws: { error in
            error is NetworkError && Self.isOneLine(error, naming: text)
        }
    }

    @Test(arguments: [
        (-1e-3, "learning rate = -0.001"), (0, "learning rate = 0.0"), (-Double.infinity, "learning rate = -inf"),
        (Double.nan, "learning rate = nan"),
    ])
    func impossibleLearningRates(rate: Double, message: String) {
        #expect {
            try OptimizerConfiguration(kind: .sgd, learningRate: rate)
        } throws: { error in
            (error as? TrainingError) != nil && "\(error)".hasPrefix(message) && !"\(error)".contains("\n")
        }
    }

    @Test func aSubnormalLearningRateIsAccepted() throws {
        let rate = Double.leastNonzeroMagnitude
        #expect(try OptimizerConfiguration(kind: .sgd, learningRate: rate).learningRate == rate)
    }

    @Test(arguments: [Double.nan, .infinity, -1])
    func impossibleWeightDecay(decay: Double) {
        #expect {
            try OptimizerConfiguration(kind: .adamW, learningRate: 1e-3, weightDecay: decay)
        } throws: { Self.isOneLine($0, naming: "weight decay") }
    }

    @Test func impossibleTrainingConfigurations() {
        let optimizer = try! OptimizerConfiguration(kind: .sgd, learningRate: 0.1)
        let cases: [(String, () throws -> TrainingConfiguration)] = [
            ("epochs = -1", { try TrainingConfiguration(epochs: -1, batchSize: 8, optimizer: optimizer) }),
            ("batch size = -5", { try TrainingConfiguration(epochs: 1, batchSize: -5, optimizer: optimizer) }),
            ("checkpoint period = 0", {
                try TrainingConfiguration(epochs: 1, batchSize: 8, optimizer: optimizer, checkpointEvery: 0)
            }),
            ("probe size = 0", { try TrainingConfiguration(epochs: 1, batchSize: 8, optimizer: optimizer, probeSize: 0) }),
            ("back-off factor = nan", {
                try TrainingConfiguration(
                    epochs: 1, batchSize: 8, optimizer: optimizer, divergence: .backOff(factor: .nan, maxRetries: 2))
            }),
            ("back-off retries = 0", {
                try TrainingConfiguration(
                    epochs: 1, batchSize: 8, optimizer: optimizer, divergence: .backOff(factor: 0.5, maxRetries: 0))
            }),
        ]
        for (message, make) in cases {
            #expect(throws: TrainingError.self, "\(message)") { _ = try make() }
            do { _ = try make() } catch { #expect("\(error)".hasPrefix(message) && !"\(error)".contains("\n")) }
        }
    }

    @Test(arguments: [
        (LearningRateSchedule.Decay.step(everyEpochs: 0, factor: 0.5), 0, "step decay period"),
        (.step(everyEpochs: 1, factor: 0), 0, "step decay factor"),
        (.step(everyEpochs: 1, factor: .nan), 0, "step decay factor"),
        (.cosine(minimumFactor: 1.5), 0, "cosine minimum factor"),
        (.cosine(minimumFactor: .nan), 0, "cosine minimum factor"),
        (.constant, -1, "warm-up steps"),
    ])
    func impossibleSchedules(decay: LearningRateSchedule.Decay, warmup: Int, name: String) {
        #expect {
            try LearningRateSchedule(decay: decay, warmupSteps: warmup)
        } throws: { error in
            error is TrainingError && "\(error)".hasPrefix(name) && !"\(error)".contains("\n")
        }
    }

    @Test(arguments: [
        (0, [4], 2, "input size"), (3, [4], 0, "output size"), (3, [], 2, "hidden sizes: the list is empty"),
        (3, [4, -2], 2, "hidden sizes: width -2"),
    ])
    func impossibleArchitectures(input: Int, hidden: [Int], output: Int, message: String) {
        #expect {
            try Architecture.multilayerPerceptron(
                inputSize: input, hiddenSizes: hidden, hiddenActivation: .fixed(.relu), outputSize: output)
        } throws: { error in
            error is NetworkError && Self.isOneLine(error, naming: message)
        }
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteFeaturesAreRefusedByTrainingAndEvaluation(bad: Double) throws {
        var features = Self.data.features
        features[7, 1] = bad
        let poisoned = try Dataset(features: features, labels: Self.data.labels!)
        let model = try Self.model()
        #expect {
            try model.evaluate(poisoned)
        } throws: { $0 as? TrainingError == .invalidData("sample 7, feature 1 is NaN or infinite") }
        let trainer = Trainer(
            model: model, configuration: try TrainingData.configuration(epochs: 1, batchSize: 8),
            generator: SeededGenerator(seed: 1))
        #expect {
            try trainer.train(on: Self.data, validation: poisoned)
        } throws: { $0 as? TrainingError == .invalidData("validation sample 7, feature 1 is NaN or infinite") }
    }

    @Test func subnormalFeaturesTrainToFiniteParameters() throws {
        var features = Self.data.features
        for row in 0..<features.rows { features[row, 0] = Double.leastNonzeroMagnitude * Double(row) }
        let data = try Dataset(features: features, labels: Self.data.labels!)
        let model = try Self.model()
        let trainer = Trainer(
            model: model, configuration: try TrainingData.configuration(epochs: 3, batchSize: 8),
            generator: SeededGenerator(seed: 2))
        let records = try trainer.train(on: data)
        #expect(records.allSatisfy { $0.trainLoss.isFinite })
        #expect(model.parameters.firstNonFiniteIndex == nil)
        #expect(try model.evaluate(data).loss.isFinite)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteParametersAreRefused(bad: Double) throws {
        let model = try Self.model()
        let before = model.parameters.snapshot()
        var bias = try model.parameters.tensor(named: "layers.0.bias")
        bias[2] = bad
        #expect(throws: NetworkError.nonFiniteValue(what: "layers.0.bias", index: 2)) {
            try model.parameters.setTensor(named: "layers.0.bias", to: bias)
        }
        var all = before
        let weight = try model.parameters.layout.parameter(named: "layers.2.weight")
        all[weight.range.lowerBound + 4] = bad
        #expect(throws: NetworkError.nonFiniteValue(what: "layers.2.weight", index: 4)) {
            try model.parameters.restore(all)
        }
        #expect(model.parameters.snapshot().map(\.bitPattern) == before.map(\.bitPattern))
        #expect(NetworkError.nonFiniteValue(what: "layers.2.weight", index: 4).description
            == "layers.2.weight: value at index 4 is NaN or infinite")
    }

    @Test func subnormalParametersAreKeptExactly() throws {
        let model = try Self.model()
        let tiny = [Double.leastNonzeroMagnitude, -Double.leastNormalMagnitude / 2, 0x1p-1060, -0.0, 0]
        try model.parameters.setTensor(named: "layers.0.bias", to: tiny)
        #expect(try model.parameters.tensor(named: "layers.0.bias").map(\.bitPattern) == tiny.map(\.bitPattern))
        let outputs = try model.predict(Self.data.features)
        #expect(outputs.firstNonFiniteIndex == nil)
    }

    @Test func emptyAndMismatchedDataAreRefused() throws {
        #expect {
            try Dataset<Double>(features: Matrix(rows: 0, columns: 3), labels: [])
        } throws: { $0 as? TrainingError == .invalidData("the data set has no samples") }
        #expect {
            try Self.model().predict(Matrix(rows: 0, columns: 3))
        } throws: { $0 as? NetworkError == .shapeMismatch(what: "input", detail: "has no rows") }
        #expect {
            try Self.model().evaluate(TrainingData.blobs(count: 10, dimensions: 4, classes: 3, seed: 1))
        } throws: { $0 as? TrainingError == .invalidData("the data has 4 features, the model takes 3") }
        let negative = try Dataset(features: Self.data.features, labels: Self.data.labels!.map { $0 == 2 ? -1 : $0 })
        #expect {
            try Self.model().evaluate(negative)
        } throws: { Self.isOneLine($0, naming: "label -1 at sample 2 is outside 0..<3") }
        for heldOut in [0, 60, -1] {
            #expect {
                try Self.data.split(holdingOut: heldOut)
            } throws: { "\($0)".hasPrefix("validation size = \(heldOut)") }
        }
    }
}
