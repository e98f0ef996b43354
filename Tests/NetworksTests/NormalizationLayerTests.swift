import Activations
import Networks
import Runtime
import Testing

/// Batch norm and dropout as layers of a network: gradients of training and inference
/// passes against central differences in Double, running statistics by construction, the
/// `--layers` spelling, JSON, and the optimiser leaving the statistics alone.
@Suite struct NormalizationLayerTests {
    /// 1×6×6 → conv 3×3·2 same → batch norm → tanh → dropout p → maxpool 2 → flatten →
    /// dense 5 → batch norm (flat) → softplus → dense 3.
    static func network(dropout probability: Double) throws -> Architecture {
        try Architecture.fromLayerSpecification(
            "conv:2x3:pad=same,batchnorm,dropout:\(probability),maxpool:2,dense:5,batchnorm",
            input: try ImageShape(channels: 1, height: 6, width: 6),
            hiddenActivation: .fixed(try Activation(parsing: "tanh")), outputSize: 3)
    }

    static func model(dropout probability: Double, seed: UInt64) throws -> Sequential<Double> {
        var generator = SeededGenerator(seed: seed)
        let model = Sequential<Double>(
            architecture: try network(dropout: probability), initialization: try Initialization(), generator: &generator)
        // γ and β away from 1 and 0, so their gradients are tested too.
        for name in ["layers.1.weight", "layers.1.bias", "layers.7.weight", "layers.7.bias"] {
            let info = try model.parameters.layout.parameter(named: name)
            generator.fillUniform(model.parameters.values(of: info), lower: 0.5, upper: 1.5)
        }
        return model
    }

    @Test func specificationPutsBatchNormBetweenALayerAndItsActivation() throws {
        let layers = try Self.network(dropout: 0.25).layers
        let image = try ImageShape(channels: 2, height: 6, width: 6)
        #expect(layers[1] == .batchNormalization(NormalizedShape(image: image)))
        #expect(layers[2] == .activation(.tanh, width: 72))
        #expect(layers[3] == .dropout(probability: 0.25, width: 72))
        #expect(layers[4] == .maxPooling(try Pooling2D(input: image, kernelSize: 2)))
        #expect(layers[7] == .batchNormalization(try NormalizedShape(features: 5)))
        // After a pooling layer it normalises the pooled image.
        let pooled = try Architecture.fromLayerSpecification(
            "conv:2x3,maxpool:2,batchnorm,dense:4", input: image, hiddenActivation: .fixed(.relu), outputSize: 2)
        #expect(pooled.layers[3] == .batchNormalization(NormalizedShape(image: try ImageShape(channels: 2, height: 2, width: 2))))
    }

    @Test func parametersAndStatisticsHavePyTorchNames() throws {
        let layout = try Self.network(dropout: 0.5).parameterLayout
        let normalization = layout.parameters.filter { $0.name.hasPrefix("layers.1.") }
        #expect(normalization.map(\.name) == [
            "layers.1.weight", "layers.1.bias", "layers.1.running_mean", "layers.1.running_var",
            "layers.1.num_batches_tracked",
        ])
        #expect(normalization.map(\.shape) == [[2], [2], [2], [2], []])
        #expect(normalization.map(\.trainable) == [true, true, false, false, false])
        #expect(!layout.parameters.contains { $0.name.hasPrefix("layers.3.") })
    }

    @Test func freshModelsStartAtPyTorchsDefaults() throws {
        let model = try Self.model(dropout: 0, seed: 1)
        let fresh = Sequential<Double>(architecture: model.architecture)
        #expect(try fresh.parameters.tensor(named: "layers.7.weight") == [1, 1, 1, 1, 1])
        #expect(try model.parameters.tensor(named: "layers.1.running_mean") == [0, 0])
        #expect(try model.parameters.tensor(named: "layers.1.running_var") == [1, 1])
        #expect(try model.parameters.tensor(named: "layers.1.num_batches_tracked") == [0])
    }

    /// Training pass: batch statistics and dropout masks, the same mask at every evaluation.
    @Test(arguments: [0.0, 0.5])
    func trainingGradientsMatchCentralDifferences(probability: Double) throws {
        let model = try Self.model(dropout: probability, seed: 21)
        var generator = SeededGenerator(seed: 4)
        let input = GradientCheck.randomMatrix(rows: 4, columns: 36, in: -1...1, &generator)
        let weights = GradientCheck.randomMatrix(rows: 4, columns: 3, in: -1...1, &generator)
        let maskSeed = SeededGenerator(seed: 77)
        func loss(_ input: Matrix<Double>) throws -> Double {
            var masks = maskSeed
            return GradientCheck.projection(try model.trainingForward(input, generator: &masks), weights)
        }
        var masks = maskSeed
        _ = try model.trainingForward(input, generator: &masks)
        let inputGradient = try model.backward(outputGradient: weights)
        let analytic = Array(model.parameters.gradients)
        let values = model.parameters.snapshot()
        let numeric = try GradientCheck.numericGradient(values) { point in
            try model.parameters.restore(point)
            return try loss(input)
        }
        try model.parameters.restore(values)
        let numericInput = try GradientCheck.numericGradient(input.scalars) {
            try loss(try Matrix(rows: 4, columns: 36, scalars: $0))
        }
        #expect(GradientCheck.relativeError(analytic, numeric) <= 1e-7)
        #expect(GradientCheck.relativeError(inputGradient.scalars, numericInput) <= 1e-7)
        // The masks matter exactly when something is dropped.
        var otherMasks = SeededGenerator(seed: 78)
        let other = try model.trainingForward(input, generator: &otherMasks)
        masks = maskSeed
        #expect((try model.trainingForward(input, generator: &masks).scalars != other.scalars) == (probability > 0))
    }

    /// Inference pass: running statistics, dropout the identity; the statistics get no gradient.
    @Test func inferenceGradientsMatchCentralDifferences() throws {
        let model = try Self.model(dropout: 0.5, seed: 22)
        var generator = SeededGenerator(seed: 5)
        for name in ["layers.1.running_mean", "layers.7.running_mean"] {
            let info = try model.parameters.layout.parameter(named: name)
            generator.fillUniform(model.parameters.values(of: info), lower: -0.3, upper: 0.3)
        }
        for name in ["layers.1.running_var", "layers.7.running_var"] {
            let info = try model.parameters.layout.parameter(named: name)
            generator.fillUniform(model.parameters.values(of: info), lower: 0.5, upper: 2)
        }
        let input = GradientCheck.randomMatrix(rows: 3, columns: 36, in: -1...1, &generator)
        let weights = GradientCheck.randomMatrix(rows: 3, columns: 3, in: -1...1, &generator)
        _ = try model.forward(input)
        let inputGradient = try model.backward(outputGradient: weights)
        let trainable = model.parameters.layout.parameters.filter(\.trainable).flatMap { Array($0.range) }
        let analytic = trainable.map { model.parameters.gradients[$0] }
        let values = model.parameters.snapshot()
        let numeric = try GradientCheck.numericGradient(trainable.map { values[$0] }) { point in
            var full = values
            for (index, value) in zip(trainable, point) { full[index] = value }
            try model.parameters.restore(full)
            return GradientCheck.projection(try model.predict(input), weights)
        }
        try model.parameters.restore(values)
        let numericInput = try GradientCheck.numericGradient(input.scalars) {
            GradientCheck.projection(try model.predict(try Matrix(rows: 3, columns: 36, scalars: $0)), weights)
        }
        #expect(GradientCheck.relativeError(analytic, numeric) <= 1e-7)
        #expect(GradientCheck.relativeError(inputGradient.scalars, numericInput) <= 1e-7)
        #expect(model.parameters.layout.parameters.filter { !$0.trainable }.allSatisfy { info in
            info.range.allSatisfy { model.parameters.gradients[$0] == 0 }
        })
    }

    /// One channel, values known: a flat batch norm over [1, 2, 3, 6] has mean 3, biased
    /// variance 3.5, unbiased 14/3; after one training pass the running values are
    /// 0.9·0 + 0.1·3 and 0.9·1 + 0.1·14/3, and the batch count is 1. Inference uses them.
    @Test func runningStatisticsFollowPyTorchsUpdate() throws {
        let architecture = try Architecture(layers: [.batchNormalization(try NormalizedShape(features: 1))])
        let model = Sequential<Double>(architecture: architecture)
        var generator = SeededGenerator(seed: 0)
        let input = try Matrix<Double>(rows: 4, columns: 1, scalars: [1, 2, 3, 6])
        let trained = try model.trainingForward(input, generator: &generator)
        let deviation = (3.5 + 1e-5).squareRoot()
        #expect(zip(trained.scalars, [-2, -1, 0, 3].map { $0 / deviation }).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(abs(try model.parameters.tensor(named: "layers.0.running_mean")[0] - 0.3) < 1e-15)
        #expect(abs(try model.parameters.tensor(named: "layers.0.running_var")[0] - (0.9 + 14.0 / 30)) < 1e-15)
        #expect(try model.parameters.tensor(named: "layers.0.num_batches_tracked") == [1])
        let inferred = try model.predict(input)
        let running = (0.9 + 14.0 / 30 + 1e-5).squareRoot()
        #expect(zip(inferred.scalars, [1, 2, 3, 6].map { ($0 - 0.3) / running }).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func dropoutIsTheIdentityInInference() throws {
        let architecture = try Architecture(layers: [.dropout(probability: 0.9, width: 4)])
        let model = Sequential<Float>(architecture: architecture)
        let input = try Matrix<Float>(rows: 2, columns: 4, scalars: [1, -2, 3, 4, 5, 6, 7, 8])
        #expect(try model.predict(input).scalars == input.scalars)
        var generator = SeededGenerator(seed: 3)
        let trained = try model.trainingForward(input, generator: &generator)
        // Each value is dropped or scaled by 1/(1 − 0.9) = 10.
        #expect(zip(trained.scalars, input.scalars).allSatisfy { $0 == 0 || abs($0 - 10 * $1) <= 1e-5 * abs($1) * 10 })
        #expect(trained.scalars.contains(0))
    }

    /// Every gradient 1 (the statistics' too), AdamW with weight decay: the trainable
    /// values move, the statistics keep their bits.
    @Test(arguments: [OptimizerKind.adamW, .sgd(momentum: 0.9, nesterov: false)])
    func optimizerStepsLeaveTheStatisticsAlone(kind: OptimizerKind) throws {
        let model = try Sequential<Float>(converting: Self.model(dropout: 0.5, seed: 8))
        let before = model.parameters.snapshot()
        model.parameters.gradients.update(repeating: 1)
        let optimizer = Optimizer<Float>(
            configuration: try OptimizerConfiguration(kind: kind, learningRate: 0.1, weightDecay: 0.5),
            layout: model.parameters.layout)
        optimizer.step(model.parameters, learningRate: 0.1)
        for info in model.parameters.layout.parameters {
            let moved = info.range.filter { model.parameters.values[$0] != before[$0] }
            #expect(moved.count == (info.trainable ? info.count : 0), "\(info.name)")
        }
    }

    @Test func trainingCountsBatchesAndKeepsTheStatisticsFinite() throws {
        let model = try Sequential<Float>(converting: Self.model(dropout: 0.5, seed: 8))
        let data = try Dataset<Float>(
            features: try Matrix(rows: 8, columns: 36, scalars: (0..<288).map { Float($0 % 7) / 7 }),
            labels: (0..<8).map { $0 % 3 })
        let configuration = try TrainingConfiguration(
            epochs: 3, batchSize: 4, optimizer: try OptimizerConfiguration(kind: .adam, learningRate: 0.01))
        let trainer = Trainer(model: model, configuration: configuration, generator: SeededGenerator(seed: 2))
        try trainer.train(on: data)
        #expect(try model.parameters.tensor(named: "layers.1.num_batches_tracked") == [6])
        #expect(try model.parameters.tensor(named: "layers.7.running_var").allSatisfy { $0.isFinite && $0 > 0 })
    }

    @Test func jsonRoundTripAndRefusals() throws {
        let architecture = try Self.network(dropout: 0.5)
        #expect(try Architecture(json: architecture.jsonString) == architecture)
        #expect(architecture.jsonString.contains(#"{"p":0.5,"type":"dropout","width":72}"#))
        #expect(architecture.jsonString.contains(#"{"input":[2,6,6],"type":"batchnorm"}"#))
        #expect(architecture.jsonString.contains(#"{"type":"batchnorm","width":5}"#))
        for json in [
            #"{"layers":[{"type":"dropout","p":1.5,"width":4}]}"#,
            #"{"layers":[{"type":"dropout","p":-0.1,"width":4}]}"#,
            #"{"layers":[{"type":"dropout","width":4}]}"#,
            #"{"layers":[{"type":"batchnorm","width":0}]}"#,
            #"{"layers":[{"type":"batchnorm","width":9223372036854775807}]}"#,
            #"{"layers":[{"type":"batchnorm","input":[0,2,2]}]}"#,
            #"{"layers":[{"type":"batchnorm"}]}"#,
        ] {
            do {
                _ = try Architecture(json: json)
                Issue.record("accepted \(json)")
            } catch {
                #expect(!error.description.contains("\n"))
            }
        }
    }

    @Test(arguments: ["dropout:1.5", "dropout:-0.5", "dropout:nan", "dropout:", "dropout", "dropout:x", "batchnorm:2", "dropout:inf"])
    func badSpecificationsAreOneLineErrors(text: String) throws {
        do {
            _ = try Architecture.fromLayerSpecification(
                "conv:2x3," + text, input: try ImageShape(channels: 1, height: 6, width: 6),
                hiddenActivation: .fixed(.relu), outputSize: 2)
            Issue.record("accepted '\(text)'")
        } catch {
            #expect(!error.description.contains("\n"), "\(error)")
            #expect(error.description.hasPrefix("architecture layers"), "\(error)")
        }
    }
}
