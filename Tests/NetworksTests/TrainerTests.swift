import Activations
import Networks
import Runtime
import Testing

@Suite struct TrainerTests {
    @Test(arguments: ["relu", "prelu", "leaky:0.01", "tanh"])
    func learnsXOR(activation: String) throws {
        let data = TrainingData.xor(count: 512, seed: 1)
        let (model, generator) = try TrainingData.model(data, hidden: [16, 16], activation: activation, outputs: 2, seed: 2)
        let trainer = Trainer(model: model, configuration: try TrainingData.configuration(epochs: 40), generator: generator)
        let records = try trainer.train(on: data, validation: TrainingData.xor(count: 400, seed: 3))
        #expect(records.count == 40)
        #expect(records.last!.trainAccuracy! >= 0.97)
        #expect(records.last!.validationAccuracy! >= 0.95)
        #expect(records.last!.trainLoss < records.first!.trainLoss)
    }

    @Test(arguments: [Loss.logistic, .hinge, .squaredHinge, .perceptron])
    func learnsSeparableDataWithOneOutput(loss: Loss) throws {
        let data = TrainingData.blobs(count: 400, dimensions: 3, classes: 2, seed: 4)
        let (model, generator) = try TrainingData.model(data, hidden: [8], activation: "prelu", outputs: 1, seed: 5)
        let trainer = Trainer(
            model: model, configuration: try TrainingData.configuration(epochs: 20, loss: loss), generator: generator)
        try trainer.train(on: data)
        #expect(try trainer.evaluate(data).accuracy! >= 0.95)
    }

    @Test func learnsRegressionWithMeanSquaredError() throws {
        var generator = SeededGenerator(seed: 6)
        let inputs = GradientCheck.randomMatrix(rows: 300, columns: 2, in: -1...1, &generator)
        let targets = try Matrix(rows: 300, columns: 1, scalars: (0..<300).map { inputs[$0, 0] * inputs[$0, 1] })
        let data = try Dataset(features: inputs, targets: .values(targets))
        let (model, rest) = try TrainingData.model(data, hidden: [32], activation: "relu", outputs: 1, seed: 7)
        let trainer = Trainer(
            model: model, configuration: try TrainingData.configuration(epochs: 60, loss: .meanSquaredError), generator: rest)
        let records = try trainer.train(on: data)
        #expect(records.last!.trainAccuracy == nil)
        #expect(records.last!.trainLoss < 0.1 * records.first!.trainLoss)
    }

    static func trainedParameters(seed: UInt64, epochs: Int = 3) throws -> [Double] {
        let data = TrainingData.blobs(count: 300, dimensions: 4, classes: 3, seed: 8)
        let (model, generator) = try TrainingData.model(data, hidden: [12, 6], activation: "prelu", outputs: 3, seed: seed)
        let trainer = Trainer(model: model, configuration: try TrainingData.configuration(epochs: epochs), generator: generator)
        try trainer.train(on: data)
        return model.parameters.snapshot()
    }

    @Test func sameSeedIsBitIdenticalAndOtherSeedsDiffer() throws {
        let first = try Self.trainedParameters(seed: 11), again = try Self.trainedParameters(seed: 11)
        #expect(first.map(\.bitPattern) == again.map(\.bitPattern))
        #expect(first != (try Self.trainedParameters(seed: 12)))
    }

    @Test func resumingFromACheckpointIsBitIdentical() throws {
        let data = TrainingData.blobs(count: 300, dimensions: 4, classes: 3, seed: 8)
        let configuration = try TrainingConfiguration(
            epochs: 4, batchSize: 32,
            optimizer: try OptimizerConfiguration(
                kind: .adamW, learningRate: 0.01, weightDecay: 0.01,
                schedule: try LearningRateSchedule(decay: .cosine(minimumFactor: 0.1), warmupSteps: 5)),
            checkpointEvery: 1, probeSize: 50)
        let (model, generator) = try TrainingData.model(data, hidden: [12, 6], activation: "prelu", outputs: 3, seed: 13)
        var saved: [TrainingState<Double>] = []
        let uninterrupted = Trainer(model: model, configuration: configuration, generator: generator)
        try uninterrupted.train(on: data, callbacks: TrainingCallbacks(checkpoint: { saved.append($0.state) }))
        #expect(saved.count == 4)
        #expect(saved.last! == uninterrupted.state)

        let (fresh, other) = try TrainingData.model(data, hidden: [12, 6], activation: "prelu", outputs: 3, seed: 99)
        let resumed = Trainer(model: fresh, configuration: configuration, generator: other)
        try resumed.restore(saved[1])
        let records = try resumed.train(on: data)
        #expect(records.map(\.epoch) == [3, 4])
        #expect(fresh.parameters.snapshot().map(\.bitPattern) == model.parameters.snapshot().map(\.bitPattern))
        #expect(resumed.state == uninterrupted.state)
    }

    @Test func divergenceStopsNamingEpochAndBatchAndKeepsTheLastGoodState() throws {
        let data = TrainingData.blobs(count: 300, dimensions: 4, classes: 3, seed: 8)
        let (model, generator) = try TrainingData.model(data, hidden: [12], activation: "relu", outputs: 3, seed: 14)
        let steady = Trainer(model: model, configuration: try TrainingData.configuration(epochs: 2, kind: .sgd, learningRate: 0.01), generator: generator)
        try steady.train(on: data)
        let good = steady.state

        let wild = Trainer(model: model, configuration: try TrainingData.configuration(epochs: 5, kind: .sgd, learningRate: 1e100), generator: generator)
        try wild.restore(good)
        #expect {
            try wild.train(on: data)
        } throws: { error in
            guard case let .diverged(epoch, batch, _, backOffs) = error as? TrainingError else { return false }
            let message = "\(error)"
            return epoch == 3 && batch >= 1 && backOffs == 0 && message.contains("epoch 3, batch \(batch)")
                && !message.contains("\n")
        }
        #expect(model.parameters.snapshot() == good.parameters)
        #expect(wild.state == good)
    }

    @Test func backOffLowersTheRateAndCarriesOn() throws {
        let data = TrainingData.blobs(count: 300, dimensions: 4, classes: 3, seed: 8)
        let (model, generator) = try TrainingData.model(data, hidden: [12], activation: "relu", outputs: 3, seed: 15)
        let configuration = try TrainingData.configuration(
            epochs: 2, kind: .sgd, learningRate: 1e12, divergence: .backOff(factor: 1e-3, maxRetries: 8))
        let trainer = Trainer(model: model, configuration: configuration, generator: generator)
        let records = try trainer.train(on: data)
        #expect(records.count == 2)
        #expect(trainer.backOffs >= 1)
        #expect(trainer.learningRateScale == (0..<trainer.backOffs).reduce(1.0) { value, _ in value * 1e-3 })
        #expect(model.parameters.firstNonFiniteIndex == nil)

        let hopeless = Trainer(
            model: model,
            configuration: try TrainingData.configuration(epochs: 2, kind: .sgd, learningRate: 1e300, divergence: .backOff(factor: 0.5, maxRetries: 2)),
            generator: generator)
        #expect {
            try hopeless.train(on: data)
        } throws: { error in
            guard case let .diverged(_, _, _, backOffs) = error as? TrainingError else { return false }
            return backOffs == 2 && "\(error)".contains("after 2 learning-rate back-off(s)")
        }
    }

    @Test func recordsCallbacksAndCheckpointCadence() throws {
        let data = TrainingData.blobs(count: 200, dimensions: 4, classes: 3, seed: 8)
        let (model, generator) = try TrainingData.model(data, hidden: [10, 6], activation: "prelu", outputs: 3, seed: 16)
        let trainer = Trainer(
            model: model, configuration: try TrainingData.configuration(epochs: 5, batchSize: 64, checkpointEvery: 2),
            generator: generator)
        var progress: [TrainingProgress] = [], ended: [Int] = [], checkpoints: [(Int, Bool)] = []
        let records = try trainer.train(
            on: data, validation: data,
            callbacks: TrainingCallbacks(
                progress: { progress.append($0) }, epochEnded: { ended.append($0.epoch) },
                checkpoint: { checkpoints.append(($0.state.completedEpochs, $0.isFinal)) }))
        #expect(ended == [1, 2, 3, 4, 5])
        #expect(checkpoints.map(\.0) == [2, 4, 5])
        #expect(checkpoints.map(\.1) == [false, false, true])
        #expect(progress.count == 5 * 4)
        #expect(progress.last!.batch == 4 && progress.last!.batchesPerEpoch == 4 && progress.last!.epoch == 5)
        #expect(progress.allSatisfy { $0.samplesPerSecond > 0 && $0.runningAccuracy != nil })
        let last = records.last!
        #expect(try last.validationAccuracy == trainer.evaluate(data).accuracy)
        #expect(last.deadUnitFractions.map(\.layer) == ["layers.1", "layers.3"])
        #expect(last.gradientNorms.map(\.layer) == ["layers.0", "layers.1", "layers.2", "layers.3", "layers.4"])
        #expect(last.gradientNorms.allSatisfy { $0.value > 0 && $0.value.isFinite })
        #expect(last.slopes.map(\.layer) == ["layers.1", "layers.3"])
        let slopes = try model.parameters.tensor(named: "layers.1.slopes")
        #expect(last.slopes[0].values == slopes)
        #expect(last.slopes[0].minimum == slopes.min() && last.slopes[0].maximum == slopes.max())
        #expect(last.slopes[0].percentiles.count == 5 && last.slopes[0].percentiles == last.slopes[0].percentiles.sorted())
    }

    @Test func deadUnitsAreCounted() throws {
        // XOR data is symmetric about 0, so no unit of a zero-bias layer is dead by chance.
        let data = TrainingData.xor(count: 200, seed: 8)
        let (model, generator) = try TrainingData.model(data, hidden: [10], activation: "relu", outputs: 2, seed: 17)
        let bias = try model.parameters.layout.parameter(named: "layers.0.bias")
        for unit in [1, 4, 7] { model.parameters.values(of: bias)[unit] = -1000 }
        let trainer = Trainer(
            model: model, configuration: try TrainingData.configuration(epochs: 1, kind: .sgd, learningRate: 1e-9),
            generator: generator)
        let record = try trainer.train(on: data).last!
        #expect(record.deadUnitFractions == [LayerStatistic(layer: "layers.1", value: 0.3)])
    }

    @Test func badInputsAreTypedErrors() throws {
        let data = TrainingData.blobs(count: 100, dimensions: 4, classes: 3, seed: 8)
        let (model, generator) = try TrainingData.model(data, hidden: [6], activation: "relu", outputs: 3, seed: 18)
        func message(_ body: () throws -> Void) -> String {
            do { try body() } catch { return "\(error)" }
            return ""
        }
        #expect(message { _ = try TrainingData.configuration(epochs: 0) }.hasPrefix("epochs = 0"))
        #expect(message { _ = try TrainingData.configuration(epochs: 1, batchSize: 0) }.hasPrefix("batch size = 0"))
        #expect(message {
            try Trainer(model: model, configuration: try TrainingData.configuration(epochs: 1, batchSize: 101), generator: generator)
                .train(on: data)
        }.hasPrefix("batch size = 101"))
        #expect(message {
            _ = try TrainingData.configuration(epochs: 1, divergence: .backOff(factor: 1, maxRetries: 1))
        }.hasPrefix("back-off factor"))
        var features = data.features
        features[3, 2] = .nan
        let poisoned = try Dataset(features: features, labels: data.labels!)
        #expect(message {
            try Trainer(model: model, configuration: try TrainingData.configuration(epochs: 1), generator: generator).train(on: poisoned)
        } == "training data: training sample 3, feature 2 is NaN or infinite")
        let wrongLabels = try Dataset(features: data.features, labels: data.labels!.map { $0 + 1 })
        #expect(message {
            try Trainer(model: model, configuration: try TrainingData.configuration(epochs: 1), generator: generator).train(on: wrongLabels)
        }.contains("label 3"))
        #expect(message { _ = try Dataset(features: data.features, labels: [1, 2]) }.contains("100 samples but 2 targets"))
    }

    @Test func badSavedStatesAreRefused() throws {
        let data = TrainingData.blobs(count: 100, dimensions: 4, classes: 3, seed: 8)
        let (model, generator) = try TrainingData.model(data, hidden: [6], activation: "relu", outputs: 3, seed: 19)
        let trainer = Trainer(model: model, configuration: try TrainingData.configuration(epochs: 2), generator: generator)
        try trainer.train(on: data)
        let good = trainer.state
        func refused(_ change: (inout TrainingState<Double>) -> Void, _ message: String) -> Bool {
            var state = good
            change(&state)
            let fresh = Trainer(model: model.copy(), configuration: trainer.configuration, generator: generator)
            do {
                try fresh.restore(state)
                try fresh.train(on: data)
            } catch {
                return "\(error)".contains(message)
            }
            return false
        }
        #expect(refused({ $0.parameters[3] = .nan }, "saved parameter layers.0.weight holds NaN"))
        #expect(refused({ $0.parameters.removeLast() }, "parameters saved"))
        #expect(refused({ $0.generatorState = [0, 0, 0, 0] }, "generator state"))
        #expect(refused({ $0.dataOrder[0] = 100 }, "not a permutation"))
        #expect(refused({ $0.dataOrder[0] = $0.dataOrder[1] }, "not a permutation"))
        #expect(refused({ $0.optimizer.buffers["exp_avg"] = [1] }, "optimizer buffer exp_avg"))
        #expect(refused({ $0.learningRateScale = 0 }, "scale"))
    }
}
