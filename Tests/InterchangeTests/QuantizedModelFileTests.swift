import Activations
import Interchange
import Networks
import Quantization
import Runtime
import Testing

/// A 6-9-7-4 perceptron with seeded weights, quantised on a seeded calibration batch.
func sampleQuantizedModel(_ activation: String, seed: UInt64 = 3) throws
    -> (model: Sequential<Double>, network: QuantizedNetwork)
{
    let architecture = try Architecture.multilayerPerceptron(
        inputSize: 6, hiddenSizes: [9, 7], hiddenActivation: try HiddenActivation(parsing: activation), outputSize: 4)
    let model = Sequential<Double>(architecture: architecture)
    var generator = SeededGenerator(seed: seed)
    for index in 0..<model.parameters.count {
        model.parameters.values[index] = Double.random(in: -0.8...0.8, using: &generator)
    }
    let calibration = try Matrix(rows: 50, columns: 6, scalars: sampleBatch(rows: 50, width: 6, seed: seed + 1))
    return (model, try QuantizedNetwork.quantize(model, calibration: calibration))
}

@Suite struct QuantizedModelFileTests {
    static let activations = ["relu", "leaky:0.05", "prelu", "prelu:shared", "softplus", "sigmoid", "tanh", "abs"]

    @Test(arguments: activations)
    func aSavedModelLoadsWithTheSameLogitsBitForBit(_ activation: String) throws {
        let (model, network) = try sampleQuantizedModel(activation)
        let bytes = try QuantizedModelFile.contents(network, architecture: model.architecture).serialized()
        let (loaded, architecture) = try QuantizedModelFile.load(contents: SafeTensors(serialized: bytes))
        #expect(architecture == model.architecture)
        #expect(loaded.input == network.input)
        #expect(loaded.layers.map(\.weights) == network.layers.map(\.weights))
        #expect(loaded.layers.map(\.bias) == network.layers.map(\.bias))
        #expect(loaded.layers.map(\.output) == network.layers.map(\.output))
        let batch = sampleBatch(rows: 40, width: 6, seed: 7).map(Float.init)
        #expect(try loaded.logits(batch) == network.logits(batch))
    }

    /// A convolutional int8 model (batch norm folded, pooling, flatten) saves and loads with
    /// the same logits; without its architecture it is refused in one line.
    @Test func aConvolutionalModelRoundTripsAndNeedsItsArchitecture() throws {
        let architecture = try Architecture.fromLayerSpecification(
            "conv:3x3:stride=2,pad=same,batchnorm,maxpool:2,dense:7", input: try ImageShape(channels: 2, height: 9, width: 7),
            hiddenActivation: .fixed(.relu), outputSize: 4)
        var generator = SeededGenerator(seed: 3)
        let model = Sequential<Double>(architecture: architecture, initialization: try Initialization(), generator: &generator)
        let batch = (0..<30 * architecture.inputSize).map { _ in Double.random(in: 0...1, using: &generator) }
        let network = try QuantizedNetwork.quantize(
            model, calibration: try Matrix(rows: 30, columns: architecture.inputSize, scalars: batch))
        let bytes = try QuantizedModelFile.contents(network, architecture: architecture).serialized()
        let (loaded, _) = try QuantizedModelFile.load(contents: SafeTensors(serialized: bytes))
        #expect(loaded.steps == network.steps)
        let floats = batch.map(Float.init)
        #expect(try loaded.logits(floats) == network.logits(floats))
        #expect(throws: QuantizedModelFileError.self) { try QuantizedModelFile.contents(network) }
    }

    @Test func theFileHoldsIntegerTensorsAndTheFormat() throws {
        let (model, network) = try sampleQuantizedModel("relu")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("model-int8.safetensors")
        try QuantizedModelFile.save(network, architecture: model.architecture, to: path)
        let file = try SafeTensors(contentsOf: path)
        #expect(file.metadata["rectifier.format"] == "int8")
        #expect(file.metadata["rectifier.activations"] == #"["relu","relu","logits"]"#)
        #expect(try file.tensor(named: "layers.0.weight").dtype == .int8)
        #expect(try file.tensor(named: "layers.0.weight").shape == [9, 6])
        #expect(try file.tensor(named: "layers.4.bias").dtype == .int32)
        #expect(try file.tensor(named: "layers.2.output_zero_point").int32s() == [0])
        #expect(file.tensors["layers.4.output_scale"] == nil)
        let (loaded, _) = try QuantizedModelFile.load(path)
        #expect(loaded.layers.map(\.bias) == network.layers.map(\.bias))
    }

    @Test func aFloatCheckpointIsRefusedByName() throws {
        var file = try QuantizedModelFile.contents(try sampleQuantizedModel("relu").network)
        file.metadata["rectifier.format"] = "float32"
        #expect(throws: QuantizedModelFileError.notInt8(file: "<memory>", format: "float32")) {
            try QuantizedModelFile.load(contents: file)
        }
        file.metadata["rectifier.format"] = nil
        #expect(throws: QuantizedModelFileError.notInt8(file: "<memory>", format: nil)) {
            try QuantizedModelFile.load(contents: file)
        }
    }

    @Test func damagedContentGivesTypedErrors() throws {
        let original = try QuantizedModelFile.contents(try sampleQuantizedModel("sigmoid").network)
        var missing = original
        missing.tensors["layers.1.bias"] = nil
        #expect(throws: QuantizedModelFileError.safeTensors(.missingTensor(file: "<memory>", name: "layers.1.bias"))) {
            try QuantizedModelFile.load(contents: missing)
        }
        var wrongType = original
        wrongType.tensors["layers.0.bias"] = try .init([Float](repeating: 0, count: 9))
        #expect(throws: QuantizedModelFileError.safeTensors(.unsupportedConversion(from: .float32, to: "[Int32]"))) {
            try QuantizedModelFile.load(contents: wrongType)
        }
        var badActivation = original
        badActivation.metadata["rectifier.activations"] = #"["swish","sigmoid","logits"]"#
        #expect(throws: QuantizedModelFileError.self) { try QuantizedModelFile.load(contents: badActivation) }
        var badScale = original
        badScale.tensors["layers.0.output_scale"] = try .init([Float(-1)])
        #expect(throws: QuantizedModelFileError.self) { try QuantizedModelFile.load(contents: badScale) }
        var wrongCount = original
        wrongCount.metadata["rectifier.activations"] = #"["sigmoid","logits"]"#
        #expect(throws: QuantizedModelFileError.self) { try QuantizedModelFile.load(contents: wrongCount) }
    }
}
