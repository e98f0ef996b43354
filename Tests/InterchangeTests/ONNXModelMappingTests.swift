import Activations
import Interchange
import Networks
import Runtime
import Testing

/// Rectifier models ⇄ `PortableNetwork` ⇄ ONNX bytes: architecture and parameters come back
/// unchanged, and the model computes what the portable network's reference computes.
@Suite struct ONNXModelMappingTests {
    static let hiddenActivations: [HiddenActivation] = exportedActivations.map { .fixed($0) } + [
        .prelu(try! PReLUOptions()), .prelu(try! PReLUOptions(shared: true)),
    ]

    /// A seeded 6-8-5-3 perceptron whose PReLU slopes differ from their initial value.
    static func model<Scalar: ActivationScalar>(_ activation: HiddenActivation, as: Scalar.Type = Float.self, seed: UInt64 = 5) throws -> Sequential<Scalar> {
        var generator = SeededGenerator(seed: seed)
        let model = try Sequential<Scalar>(
            architecture: .multilayerPerceptron(inputSize: 6, hiddenSizes: [8, 5], hiddenActivation: activation, outputSize: 3),
            initialization: Initialization(), generator: &generator)
        for info in model.parameters.layout.parameters where info.name.hasSuffix("slopes") {
            let slopes = (0..<info.count).map { Scalar(Double($0) * 0.1 - 0.2) }
            try model.parameters.setTensor(named: info.name, to: slopes)
        }
        return model
    }

    static func batch<Scalar: ActivationScalar>(_ rows: Int, _ width: Int, as: Scalar.Type = Float.self) throws -> Matrix<Scalar> {
        try Matrix(rows: rows, columns: width, scalars: sampleBatch(rows: rows, width: width).map { Scalar($0) })
    }

    @Test(arguments: hiddenActivations)
    func modelsSurviveExportAndImport(activation: HiddenActivation) throws {
        let float = try Self.model(activation)
        let read = try Sequential<Float>(try PortableNetwork(onnx: try PortableNetwork(float).onnxBytes()))
        #expect(read.architecture == float.architecture, "\(activation)")
        #expect(read.architecture.hiddenSizes == [8, 5])
        #expect(read.parameters.snapshot() == float.parameters.snapshot(), "\(activation)")

        let double = try Self.model(activation, as: Double.self)
        let portable = try PortableNetwork(double)
        #expect(portable.precision == .float64)
        let readDouble = try Sequential<Double>(try PortableNetwork(onnx: portable.onnxBytes()))
        #expect(readDouble.parameters.snapshot() == double.parameters.snapshot(), "\(activation)")
    }

    @Test(arguments: hiddenActivations)
    func modelsComputeWhatTheReferenceComputes(activation: HiddenActivation) throws {
        let model = try Self.model(activation)
        let portable = try PortableNetwork(model)
        let input: Matrix<Float> = try Self.batch(32, 6)
        let outputs = try model.predict(input).scalars.map(Double.init)
        let reference = try portable.evaluate(input.scalars.map(Double.init), batchSize: 32)
        let difference = zip(outputs, reference).map { abs($0 - $1) }.max() ?? .infinity
        #expect(difference <= 1e-5, "\(activation): \(difference)")
    }

    @Test func otherLayerListsKeepTheirLayers() throws {
        let network = try PortableNetwork(inputSize: 3, layers: [
            .activation(.tanh),
            .dense(try .init(inputs: 3, outputs: 2, weights: [1, 2, 3, 4, 5, 6], bias: [0, 1])),
            .activation(.relu), .prelu(slopes: [0.5, 0.25]),
            .dense(try .init(inputs: 2, outputs: 1, weights: [1, -1], bias: [0.5])),
        ], precision: .float64)
        let architecture = try network.architecture()
        #expect(architecture.hiddenSizes == nil)
        #expect(architecture.layers == [
            .activation(.tanh, width: 3), .dense(inputs: 3, outputs: 2), .activation(.relu, width: 2),
            .prelu(try PReLUOptions(), width: 2), .dense(inputs: 2, outputs: 1),
        ])
        let model = try Sequential<Double>(network)
        #expect(try PortableNetwork(model) == network)
        let output = try model.predict(Matrix([[1, -2, 0.5]])).scalars
        let reference = try network.evaluate([1, -2, 0.5], batchSize: 1)
        #expect(abs(output[0] - reference[0]) <= 1e-15 * abs(reference[0]))
    }

    @Test func float64NetworksRoundIntoFloatModels() throws {
        let network = try sampleNetwork(.sigmoid, precision: .float64)
        let model = try Sequential<Float>(network)
        guard case .dense(let dense) = network.layers[0] else { return }
        #expect(try model.parameters.tensor(named: "layers.0.weight") == dense.weights.map { Float($0) })
        #expect(try PortableNetwork(model).precision == .float32)
    }
}
