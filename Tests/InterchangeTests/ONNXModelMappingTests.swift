import Activations
import Foundation
import Interchange
import Networks
import Runtime
import Testing

/// Rectifier models ⇄ `ONNXModel` ⇄ ONNX bytes: architecture and parameters come back
/// unchanged, and the Float model computes what the Double reference computes.
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
        let read = Sequential<Float>(converting: try ONNXModel(onnx: try ONNXModel(float).onnxBytes()).model)
        #expect(read.architecture == float.architecture, "\(activation)")
        #expect(read.architecture.hiddenSizes == [8, 5])
        #expect(read.parameters.snapshot() == float.parameters.snapshot(), "\(activation)")

        let double = try Self.model(activation, as: Double.self)
        let portable = try ONNXModel(double)
        #expect(portable.precision == .float64)
        let readDouble = try ONNXModel(onnx: portable.onnxBytes()).model
        #expect(readDouble.parameters.snapshot() == double.parameters.snapshot(), "\(activation)")
    }

    @Test(arguments: hiddenActivations)
    func modelsComputeWhatTheReferenceComputes(activation: HiddenActivation) throws {
        let model = try Self.model(activation)
        let portable = try ONNXModel(model)
        let input: Matrix<Float> = try Self.batch(32, 6)
        let outputs = try model.predict(input).scalars.map(Double.init)
        let reference = try portable.outputs(Matrix(converting: input)).scalars
        let difference = zip(outputs, reference).map { abs($0 - $1) }.max() ?? .infinity
        #expect(difference <= 1e-5, "\(activation): \(difference)")
    }

    /// The input scaling (Sub → Div) and metadata come back as written, the reference applies
    /// the scaling before the first layer, and a Sub anywhere else is refused by name.
    @Test func inputScalingAndMetadataSurviveExportAndImport() throws {
        let model = try Self.model(.fixed(.relu))
        var portable = try ONNXModel(model)
        portable.inputScaling = try ONNXModel.InputScaling(
            offset: [0.5, -1, 2, 0, 0.25, 3], scale: [2, 4, 0.5, 1, 8, 255], width: 6)
        portable.metadata = ["classes": "[\"a\",\"b\",\"c\"]"]
        let read = try ONNXModel(onnx: portable.onnxBytes())
        #expect(read == portable)
        let input: Matrix<Double> = try Self.batch(4, 6, as: Double.self)
        let scaled = try Matrix(rows: 4, columns: 6, scalars: input.scalars.enumerated().map { index, value in
            (value - portable.inputScaling!.offset[index % 6]) / portable.inputScaling!.scale[index % 6]
        })
        #expect(try read.outputs(input) == ONNXModel(model).outputs(scaled))
        #expect(throws: ONNXError.self) { try ONNXModel.InputScaling(offset: [0, 1], scale: [1, 1], width: 6) }
        #expect(throws: ONNXError.self) { try ONNXModel.InputScaling(offset: [0], scale: [0], width: 6) }
        #expect(throws: ONNXError.self) { try ONNXModel.InputScaling(offset: [.nan], scale: [1], width: 6) }
    }

    /// A layer list that is no perceptron keeps its layers, and computes by hand's formulas.
    @Test func otherLayerListsKeepTheirLayers() throws {
        let layers: [LayerDescription] = [
            .activation(.tanh, width: 3), .dense(inputs: 3, outputs: 2), .activation(.relu, width: 2),
            .prelu(try PReLUOptions(), width: 2), .dense(inputs: 2, outputs: 1),
        ]
        let model = try doubleModel(layers, [
            "layers.1.weight": [1, 2, 3, 4, 5, 6], "layers.1.bias": [0, 1], "layers.3.slopes": [0.5, 0.25],
            "layers.4.weight": [1, -1], "layers.4.bias": [0.5],
        ])
        let network = try ONNXModel(model)
        let read = try ONNXModel(onnx: network.onnxBytes())
        #expect(read == network)
        #expect(read.model.architecture.hiddenSizes == nil)
        #expect(read.layers == layers)
        // tanh, then W·t + b, ReLU (the slopes meet no negative value), then h₀ − h₁ + 0.5.
        let t = [1.0, -2, 0.5].map { Foundation.tanh($0) }
        let h = [t[0] + 2 * t[1] + 3 * t[2], 4 * t[0] + 5 * t[1] + 6 * t[2] + 1].map { max($0, 0) }
        let output = try read.reference([1, -2, 0.5], rows: 1)
        #expect(abs(output[0] - (h[0] - h[1] + 0.5)) <= 1e-14)
    }

    @Test func float64NetworksRoundIntoFloatModels() throws {
        let network = try sampleNetwork(.sigmoid, precision: .float64)
        let model = Sequential<Float>(converting: network.model)
        #expect(try model.parameters.tensor(named: "layers.0.weight") == network.tensor("layers.0.weight").map { Float($0) })
        #expect(try ONNXModel(model).precision == .float32)
    }
}
