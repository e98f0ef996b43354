import Networks
import Runtime
import Testing

/// The one divergence rule and the trainer's use of it, on constructed inputs whose answer
/// is known both ways.
@Suite struct DivergenceRuleTests {
    @Test func nonFiniteLossesAlwaysDiverge() {
        for loss in [Double.nan, .infinity, -.infinity] {
            let reason = DivergenceRule.reason(loss: loss, baseline: nil, what: "the loss")
            #expect(reason == "the loss is \(loss)")
            #expect(DivergenceRule.reason(loss: loss, baseline: 1.0 / 6, what: "x") != nil)
        }
    }

    @Test func aFiniteLossDivergesOnlyAboveAThousandTimesTheBaseline() {
        #expect(DivergenceRule.errorFactor == 1000)
        let baseline = 1.0 / 6
        #expect(DivergenceRule.reason(loss: 166, baseline: baseline, what: "the MSE") == nil)
        #expect(DivergenceRule.reason(loss: 1000 * baseline, baseline: baseline, what: "the MSE") == nil)
        let reason = DivergenceRule.reason(loss: 167, baseline: baseline, what: "the MSE")
        #expect(reason == "the MSE is 167.0, over 1000× the mean predictor's \(baseline)")
        // Without a baseline (classification), or with one that is not a number > 0, only
        // non-finite losses count: any finite value is kept.
        for missing in [nil, 0, -1, .nan, .infinity] as [Double?] {
            #expect(DivergenceRule.reason(loss: 1e300, baseline: missing, what: "x") == nil)
        }
    }

    @Test func theMeanPredictorsErrorOfConstructedTargets() throws {
        // Columns (0, 2) and (2, 4): means 1 and 3, every target 1 away from its mean.
        let targets = try Matrix<Double>(rows: 2, columns: 2, scalars: [0, 2, 2, 4])
        let data = try Dataset(features: try Matrix(rows: 2, columns: 1, scalars: [0, 0]), targets: .values(targets))
        let means = try #require(DivergenceRule.targetMeans(data))
        #expect(means == [1, 3])
        #expect(DivergenceRule.meanPredictorError(data, mean: means) == 1)
        #expect(DivergenceRule.meanPredictorError(data, mean: [0, 0]) == 6, "(0² + 2² + 2² + 4²)/4")
        let labels = try Dataset(features: try Matrix<Double>(rows: 2, columns: 1, scalars: [0, 0]), labels: [0, 1])
        #expect(DivergenceRule.targetMeans(labels) == nil)
        #expect(DivergenceRule.meanPredictorError(labels, mean: [0]) == nil)
    }

    /// y = x₀·x₁ on [−1, 1]², the validation set optionally with one sample far outside it.
    private func regression(outlier: Double?) throws -> (Dataset<Double>, Dataset<Double>) {
        var generator = SeededGenerator(seed: 21)
        func make(_ count: Int) throws -> Dataset<Double> {
            let inputs = GradientCheck.randomMatrix(rows: count, columns: 2, in: -1...1, &generator)
            let targets = try Matrix(rows: count, columns: 1, scalars: (0..<count).map { inputs[$0, 0] * inputs[$0, 1] })
            return try Dataset(features: inputs, targets: .values(targets))
        }
        let training = try make(200)
        var validation = try make(64)
        if let outlier {
            var features = validation.features
            features[0, 0] = outlier
            features[0, 1] = outlier
            validation = try Dataset(features: features, targets: validation.targets)
        }
        return (training, validation)
    }

    private func trainer(_ training: Dataset<Double>, divergence: DivergencePolicy = .stop) throws -> Trainer<Double> {
        let (model, generator) = try TrainingData.model(training, hidden: [16], activation: "relu", outputs: 1, seed: 22)
        return Trainer(
            model: model,
            configuration: try TrainingData.configuration(
                epochs: 3, kind: .sgd, learningRate: 0.05, loss: .meanSquaredError, divergence: divergence),
            generator: generator)
    }

    /// A validation sample at (10⁶, 10⁶) drives a ReLU network's output to ~10⁶: the
    /// validation MSE is far above 10³× the mean predictor's and the run ends diverged after
    /// epoch 1, back at its initial state; without the sample the same run trains through.
    @Test func aDivergingValidationLossEndsTheRun() throws {
        let (training, sane) = try regression(outlier: nil)
        let steady = try trainer(training)
        #expect(try steady.train(on: training, validation: sane).count == 3)

        let (_, wild) = try regression(outlier: 1e6)
        let stopped = try trainer(training)
        let initial = stopped.model.parameters.snapshot()
        let batches = (training.count + 31) / 32
        #expect {
            try stopped.train(on: training, validation: wild)
        } throws: { error in
            guard case let .diverged(epoch, batch, reason, backOffs) = error as? TrainingError else { return false }
            return epoch == 1 && batch == batches && backOffs == 0
                && reason.hasPrefix("the validation loss after the epoch is ") && reason.contains("over 1000×")
        }
        #expect(stopped.model.parameters.snapshot() == initial)
        #expect(stopped.history.isEmpty && stopped.completedEpochs == 0)
    }

    /// The policy is honoured for held-out divergence too: back-off reruns the epoch at a
    /// lower rate, and a divergence the rate cannot cure ends the run after the retries.
    @Test func backOffIsHonouredForTheValidationLoss() throws {
        let (training, wild) = try regression(outlier: 1e6)
        let trainer = try trainer(training, divergence: .backOff(factor: 0.5, maxRetries: 2))
        #expect {
            try trainer.train(on: training, validation: wild)
        } throws: { error in
            guard case let .diverged(epoch, _, reason, backOffs) = error as? TrainingError else { return false }
            return epoch == 1 && backOffs == 2 && reason.contains("validation loss")
        }
        #expect(trainer.learningRateScale == 0.25)
    }

    /// A training batch whose finite MSE exceeds 10³× the mean predictor's is caught before its
    /// update: an output bias of 100 against targets in [−1, 1] gives MSE ≈ 10⁴ (the mean
    /// predictor's is about 0.11); a bias of 5 gives about 25, below the line, and trains on.
    @Test func aFiniteButHugeTrainingLossDiverges() throws {
        let (training, _) = try regression(outlier: nil)
        let far = try trainer(training)
        try far.model.parameters.setTensor(named: "layers.2.bias", to: [100])
        #expect {
            try far.train(on: training)
        } throws: { error in
            guard case let .diverged(epoch, batch, reason, _) = error as? TrainingError else { return false }
            return epoch == 1 && batch == 1 && reason.hasPrefix("the loss is ") && reason.contains("over 1000×")
        }
        let near = try trainer(training)
        try near.model.parameters.setTensor(named: "layers.2.bias", to: [5])
        #expect(try near.train(on: training).count == 3)
    }
}
