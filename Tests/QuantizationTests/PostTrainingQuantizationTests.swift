import Activations
import Networks
import Quantization
import Runtime
import Testing

/// Gaussian blobs: `classes` centres in [−1, 1]^features, samples at a centre plus noise.
struct ToyBlobs {
    let training: Dataset<Double>
    let test: Dataset<Double>

    init(features: Int = 8, classes: Int = 3, count: Int = 600, noise: Double = 0.35, seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let centres = (0..<classes).map { _ in (0..<features).map { _ in 2 * generator.nextDouble() - 1 } }
        func draw(_ count: Int) throws -> Dataset<Double> {
            var scalars: [Double] = [], labels: [Int] = []
            for _ in 0..<count {
                let label = generator.nextIndex(below: classes)
                labels.append(label)
                scalars += centres[label].map { $0 + noise * generator.nextNormal() }
            }
            return try Dataset(features: try Matrix(rows: count, columns: features, scalars: scalars), labels: labels)
        }
        training = try draw(count)
        test = try draw(count)
    }
}

@Suite struct PostTrainingQuantizationTests {
    static let hiddenActivations = [
        "relu", "leaky:0.1", "prelu", "softplus", "sigmoid", "tanh", "abs", "gelu", "gelu:tanh", "silu", "elu:alpha=0.5", "selu", "mish",
    ]

    static func model(_ activation: String, widths: [Int], seed: UInt64) throws -> Sequential<Double> {
        var generator = SeededGenerator(seed: seed)
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: widths[0], hiddenSizes: Array(widths.dropFirst().dropLast()),
            hiddenActivation: try HiddenActivation(parsing: activation), outputSize: widths.last!)
        return Sequential(architecture: architecture, initialization: try Initialization(), generator: &generator)
    }

    static func trained(_ activation: String, on data: ToyBlobs) throws -> Sequential<Double> {
        let model = try model(activation, widths: [8, 16, 16, 3], seed: 5)
        let configuration = try TrainingConfiguration(
            epochs: 15, batchSize: 32, optimizer: try OptimizerConfiguration(kind: .adam, learningRate: 0.01))
        try Trainer(model: model, configuration: configuration, generator: SeededGenerator(seed: 6))
            .train(on: data.training)
        return model
    }

    static func logits(_ network: QuantizedNetwork, _ features: Matrix<Double>) throws -> [Float] {
        try network.logits(features.scalars.map { Float($0) })
    }

    @Test(arguments: hiddenActivations)
    func integerPathEqualsTheScalarReference(_ activation: String) throws {
        var generator = SeededGenerator(seed: 11)
        let model = try Self.model(activation, widths: [37, 24, 19, 5], seed: 12)
        for index in 0..<model.parameters.count where model.parameters.layout.parameters.contains(where: {
            $0.name.hasSuffix("bias") && $0.range.contains(index)
        }) {
            model.parameters.values[index] = 0.2 * generator.nextNormal()
        }
        let rows = 70
        let calibration = try Matrix(
            rows: rows, columns: 37, scalars: (0..<rows * 37).map { _ in 3 * generator.nextNormal() })
        let network = try QuantizedNetwork.quantize(model, calibration: calibration)
        let codes = (0..<rows * 37).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        var reference = [Float](repeating: 0, count: rows * 5)
        codes.withUnsafeBufferPointer { input in
            reference.withUnsafeMutableBufferPointer { network.referenceLogits(codes: input, rows: rows, into: $0) }
        }
        for path in IntegerGEMM.Path.allCases {
            var fast = [Float](repeating: .nan, count: rows * 5)
            codes.withUnsafeBufferPointer { input in
                fast.withUnsafeMutableBufferPointer { network.logits(codes: input, rows: rows, into: $0, path: path) }
            }
            #expect(fast == reference, "\(activation) \(path)")
        }
    }

    @Test(arguments: hiddenActivations)
    func predictionsAgreeWithFloat64OnATrainedModel(_ activation: String) throws {
        let data = try ToyBlobs(seed: 21)
        let model = try Self.trained(activation, on: data)
        let calibration = data.training.features.rows(0..<200)
        let network = try QuantizedNetwork.quantize(model, calibration: calibration)
        let exact = try model.predictClasses(data.test.features)
        let integer = QuantizedNetwork.predictedClasses(
            logits: try Self.logits(network, data.test.features), outputs: 3)
        let labels = data.test.labels!
        let agreement = Double(zip(exact, integer).filter { $0 == $1 }.count) / Double(labels.count)
        let exactAccuracy = Double(zip(exact, labels).filter { $0 == $1 }.count) / Double(labels.count)
        let integerAccuracy = Double(zip(integer, labels).filter { $0 == $1 }.count) / Double(labels.count)
        #expect(exactAccuracy > 0.9, "\(activation): the toy model did not learn (\(exactAccuracy))")
        #expect(agreement >= 0.98, "\(activation): agreement \(agreement)")
        #expect(abs(integerAccuracy - exactAccuracy) <= 0.02, "\(activation): \(integerAccuracy) vs \(exactAccuracy)")
    }

    @Test func floatModelsQuantiseToTheSameIntegersAsTheirDoubleCopies() throws {
        let data = try ToyBlobs(seed: 22)
        let double = try Self.trained("relu", on: data)
        let float = Sequential<Float>(converting: double)
        let calibration = data.training.features.rows(0..<100)
        let fromDouble = try QuantizedNetwork.quantize(Sequential<Double>(converting: float), calibration: calibration)
        let fromFloat = try QuantizedNetwork.quantize(float, calibration: Matrix<Float>(converting: calibration))
        #expect(fromFloat.layers.map(\.weights) == fromDouble.layers.map(\.weights))
        #expect(fromFloat.layers.map(\.bias) == fromDouble.layers.map(\.bias))
    }

    @Test func weightsAndBiasesDequantiseWithinHalfAStep() throws {
        let data = try ToyBlobs(seed: 23)
        let model = try Self.trained("leaky:0.1", on: data)
        let network = try QuantizedNetwork.quantize(model, calibration: data.training.features)
        for (layer, dense) in zip(network.layers, [0, 2, 4]) {
            let weights = try model.parameters.tensor(named: "layers.\(dense).weight")
            let bias = try model.parameters.tensor(named: "layers.\(dense).bias")
            let restored = layer.weights.dequantized()
            for index in weights.indices {
                let step = Double(layer.weights.scales[index / layer.inputs])
                // Float rounding of the weight itself adds at most one Float ulp.
                #expect(abs(Double(restored[index]) - weights[index]) <= step / 2 + weights[index].ulp * 0x1p30)
            }
            for unit in bias.indices {
                let step = layer.biasScales[unit]
                #expect(abs(Double(layer.bias[unit]) * step - bias[unit]) <= step / 2 * (1 + 1e-6) + 1e-7 * abs(bias[unit]))
            }
        }
        let input = network.input
        for x in data.test.features.scalars.prefix(500) {
            let clamped = min(max(Float(x), input.representableRange.lowerBound), input.representableRange.upperBound)
            let restored = input.dequantize(try input.quantize(Float(x)))
            #expect(abs(restored - clamped) <= input.scale / 2 * (1 + 1e-5))
        }
    }

    @Test func percentileCalibrationIgnoresAnOutlier() throws {
        let model = try Self.model("relu", widths: [4, 6, 2], seed: 31)
        var scalars = (0..<4000).map { Double($0 % 100) / 100 }
        scalars[17] = 1000
        let calibration = try Matrix(rows: 1000, columns: 4, scalars: scalars)
        let minMax = try QuantizedNetwork.quantize(model, calibration: calibration)
        let percentile = try QuantizedNetwork.quantize(
            model, calibration: calibration, options: try QuantizationOptions(calibration: .percentile(99.9)))
        #expect(minMax.input.representableRange.upperBound >= 1000)
        #expect(percentile.input.representableRange.upperBound < 1.01)
    }

    @Test(arguments: [0.0, 0.5])
    func constantCalibrationStillQuantises(_ value: Double) throws {
        for activation in Self.hiddenActivations {
            let model = try Self.model(activation, widths: [6, 5, 3], seed: 41)
            let calibration = try Matrix(rows: 10, columns: 6, scalars: [Double](repeating: value, count: 60))
            let network = try QuantizedNetwork.quantize(model, calibration: calibration)
            let logits = try network.logits([Float](repeating: Float(value), count: 6))
            let exact = try model.predict(try Matrix(rows: 1, columns: 6, scalars: [Double](repeating: value, count: 6)))
            for (integer, real) in zip(logits, exact.scalars) {
                #expect(integer.isFinite)
                #expect(abs(Double(integer) - real) <= 0.05 * max(1, abs(real)), "\(activation) \(value)")
            }
        }
    }

    @Test func refusesLayerOrdersWithoutIntegerForm() throws {
        let endsWithActivation = Sequential<Double>(
            architecture: try Architecture(layers: [.dense(inputs: 3, outputs: 2), .activation(.relu, width: 2)]))
        let twoActivations = Sequential<Double>(architecture: try Architecture(layers: [
            .dense(inputs: 3, outputs: 2), .activation(.relu, width: 2), .activation(.tanh, width: 2),
            .dense(inputs: 2, outputs: 1),
        ]))
        let calibration = try Matrix<Double>(rows: 1, columns: 3, scalars: [1, 2, 3])
        for model in [endsWithActivation, twoActivations] {
            #expect {
                try QuantizedNetwork.quantize(model, calibration: calibration)
            } throws: { error in
                guard case QuantizationError.unsupportedLayer = error else { return false }
                return true
            }
        }
    }

    @Test func refusesCalibrationOfTheWrongShapeOrNone() throws {
        let model = try Self.model("relu", widths: [4, 3, 2], seed: 51)
        #expect(throws: QuantizationError.shapeMismatch(what: "calibration columns", expected: 4, actual: 3)) {
            try QuantizedNetwork.quantize(model, calibration: Matrix<Double>(rows: 2, columns: 3))
        }
        #expect(throws: QuantizationError.noSamples(what: "calibration")) {
            try QuantizedNetwork.quantize(model, calibration: Matrix<Double>(rows: 0, columns: 4))
        }
        var bad = [Double](repeating: 0, count: 8)
        bad[5] = .nan
        #expect(throws: QuantizationError.self) {
            try QuantizedNetwork.quantize(model, calibration: try Matrix(rows: 2, columns: 4, scalars: bad))
        }
    }
}
