import Activations
import Networks
import Runtime
import Testing

/// Prediction of convolutional networks, where a Float convolution runs with the batch norm,
/// ReLU and max pooling after it as one block (batch norm folded into the weights): against
/// the layer-by-layer inference pass of the same model and a Double model of the same
/// parameters, the same bits on one and two threads, refolded when the statistics change.
@Suite struct ConvolutionBlockTests {
    /// The network of `layers` on `input` with 7 outputs, every bias and batch norm parameter
    /// and statistic drawn away from its fresh value.
    static func model(_ layers: String, input: ImageShape, activation: String = "relu", seed: UInt64 = 41) throws
        -> Sequential<Float>
    {
        var generator = SeededGenerator(seed: seed)
        let architecture = try Architecture.fromLayerSpecification(
            layers, input: input, hiddenActivation: .fixed(try Activation(parsing: activation)), outputSize: 7)
        let model = Sequential<Float>(architecture: architecture, initialization: try Initialization(), generator: &generator)
        for info in model.parameters.layout.parameters {
            let values = model.parameters.values(of: info)
            if info.name.hasSuffix(".running_var") {
                generator.fillUniform(values, lower: 0.3, upper: 2)
            } else if info.name.hasSuffix(".bias") || info.name.hasSuffix(".running_mean") {
                generator.fillUniform(values, lower: -0.3, upper: 0.3)
            } else if info.shape.count == 1, info.name.hasSuffix(".weight") {
                generator.fillUniform(values, lower: 0.5, upper: 1.5)
            }
        }
        return model
    }

    static func input(rows: Int, shape: ImageShape, seed: UInt64 = 42) -> Matrix<Float> {
        var generator = SeededGenerator(seed: seed)
        return Matrix(converting: GradientCheck.randomMatrix(rows: rows, columns: shape.count, in: -1...1, &generator))
    }

    static func expectClose(_ a: Matrix<Float>, _ b: Matrix<Float>, _ comment: Comment? = nil) {
        #expect(a.rows == b.rows && a.columns == b.columns)
        let worst = zip(a.scalars, b.scalars).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(worst <= 1e-4, comment)
    }

    static let cases: [(layers: String, input: ImageShape)] = [
        // One channel in (no transpose, 8-lane window rows), then eight channels last from the
        // block before; the README's shape.
        ("conv:8x5,batchnorm,maxpool:2,conv:16x3,batchnorm,maxpool:2,dense:12,dropout:0.5", try! ImageShape(channels: 1, height: 16, width: 16)),
        // Three channels (made channels last), stride 2 and same padding, then 16 channels in
        // (window rows copied whole) with padding at every edge and no batch norm or pooling
        // (Y transposed to NCHW for the flatten).
        ("conv:16x3:stride=2,pad=same,batchnorm,maxpool:2,conv:5x3:pad=same,dense:6", try! ImageShape(channels: 3, height: 11, width: 11)),
        // Two channels (8-lane window rows) and only a ReLU after the first convolution (its Y
        // passed on channels last), then a 3×3 pooling.
        ("conv:4x2,conv:3x3,maxpool:3", try! ImageShape(channels: 2, height: 9, width: 9)),
    ]

    @Test(arguments: [0, 1, 2], [1, 5, 33])
    func predictionMatchesTheLayerByLayerPassAndDouble(index: Int, rows: Int) throws {
        let (layers, shape) = Self.cases[index]
        let model = try Self.model(layers, input: shape)
        let input = Self.input(rows: rows, shape: shape)
        let predicted = try model.predict(input)
        Self.expectClose(predicted, try model.forward(input), "\(layers)")
        let double = Sequential<Double>(converting: model)
        Self.expectClose(predicted, Matrix(converting: try double.predict(Matrix(converting: input))), "\(layers) in Double")
    }

    /// A batch norm followed by tanh: the block is convolution and batch norm (one channel,
    /// same padding: short window rows inside, zeros at the edges), tanh runs after.
    @Test func anActivationOtherThanReLUEndsTheBlock() throws {
        let shape = try ImageShape(channels: 1, height: 10, width: 10)
        let model = try Self.model("conv:6x3:pad=same,batchnorm,maxpool:2,dense:5", input: shape, activation: "tanh")
        let input = Self.input(rows: 40, shape: shape)
        Self.expectClose(try model.predict(input), try model.forward(input))
    }

    @Test func sameBitsOnOneAndTwoThreadsAndAcrossBatchSizes() throws {
        let (layers, shape) = Self.cases[0]
        let model = try Self.model(layers, input: shape)
        let input = Self.input(rows: 37, shape: shape)
        let one = try Execution(threads: 1).run { try model.predict(input) }
        let two = try Execution(threads: 2).run { try model.predict(input) }
        #expect(one.scalars == two.scalars)
    }

    /// A batch smaller than the threads: the threads split each image by bands (blocks of at
    /// least 2¹⁸ multiply-adds per image with pooling windows that do not overlap), with the
    /// same bits as one thread. Pooled (18 and 8 bands) and not (a block's channels-last
    /// output, 36 bands, then 17 pooled), channels last in and out.
    @Test(arguments: [
        "conv:16x5,batchnorm,maxpool:2,conv:32x3,batchnorm,maxpool:2,dense:12",
        "conv:12x5,conv:16x3,maxpool:2",
    ])
    func oneImageIsSplitOverTheThreads(layers: String) throws {
        let shape = try ImageShape(channels: 1, height: 40, width: 40)
        let model = try Self.model(layers, input: shape)
        let input = Self.input(rows: 3, shape: shape)
        for row in 0..<input.rows {
            let image = try Matrix(rows: 1, columns: shape.count, scalars: Array(input.row(row)))
            let one = try Execution(threads: 1).run { try model.predict(image) }
            let two = try Execution(threads: 2).run { try model.predict(image) }
            #expect(one.scalars == two.scalars)
            Self.expectClose(two, try model.forward(image))
        }
    }

    /// A write to the batch norm's statistics after a prediction: the next one folds them anew.
    @Test func changedStatisticsAreFoldedAgain() throws {
        let (layers, shape) = Self.cases[0]
        let model = try Self.model(layers, input: shape)
        let input = Self.input(rows: 20, shape: shape)
        let before = try model.predict(input)
        let variance = try model.parameters.layout.parameter(named: "layers.1.running_var")
        model.parameters.values(of: variance).update(repeating: 4)
        let after = try model.predict(input)
        #expect(after.scalars != before.scalars)
        Self.expectClose(after, try model.forward(input))
    }

    /// A training pass after a prediction moves batch norm's running statistics: the next
    /// prediction folds the new ones; the old parameters written back give the old outputs.
    @Test func aTrainingPassIsSeenByTheNextPrediction() throws {
        let (layers, shape) = Self.cases[0]
        let model = try Self.model(layers, input: shape)
        let input = Self.input(rows: 20, shape: shape)
        let before = try model.predict(input)
        let saved = model.parameters.snapshot()
        var generator = SeededGenerator(seed: 43)
        _ = try model.trainingForward(input, generator: &generator)
        let after = try model.predict(input)
        #expect(after.scalars != before.scalars)
        Self.expectClose(after, try model.forward(input))
        try model.parameters.restore(saved)
        #expect(try model.predict(input).scalars == before.scalars)
    }

    /// NaN in one image reaches that image's outputs only (the max pooling keeps it).
    @Test func nanStaysInItsImage() throws {
        let (layers, shape) = Self.cases[0]
        let model = try Self.model(layers, input: shape)
        var scalars = Self.input(rows: 6, shape: shape).scalars
        scalars[2 * shape.count + 37] = .nan
        let predicted = try model.predict(try Matrix(rows: 6, columns: shape.count, scalars: scalars))
        #expect(predicted.row(2).allSatisfy { $0.isNaN })
        #expect([0, 1, 3, 4, 5].allSatisfy { predicted.row($0).allSatisfy { $0.isFinite } })
    }
}
