import Foundation
import Interchange
import Networks
import Runtime
import Testing

/// Convolutional models in model files: PyTorch's names and OIHW shapes, a round trip,
/// bit-identical resume, and PyTorch's `load_state_dict` reading the file.
@Suite struct ConvolutionalModelFileTests {
    /// 1×8×8 → conv 3×3·4 same → relu → maxpool 2 → conv 3×3·6 valid → tanh → flatten → dense 3.
    static func architecture() throws -> Architecture {
        let first = try Convolution2D(
            input: try ImageShape(channels: 1, height: 8, width: 8), outputChannels: 4, kernelSize: 3, padding: .same)
        let pool = try Pooling2D(input: first.output, kernelSize: 2)
        let second = try Convolution2D(input: pool.output, outputChannels: 6, kernelSize: 3)
        return try Architecture(layers: [
            .convolution(first), .activation(.relu, width: first.output.count), .maxPooling(pool),
            .convolution(second), .activation(.tanh, width: second.output.count), .flatten(second.output),
            .dense(inputs: second.output.count, outputs: 3),
        ])
    }

    /// 1×8×8 → conv 3×3·4 same → batch norm → relu → dropout p → maxpool 2 → flatten →
    /// dense 6 → batch norm → tanh → dense 3.
    static func normalized(dropout probability: Double) throws -> Architecture {
        try Architecture.fromLayerSpecification(
            "conv:4x3:pad=same,batchnorm,dropout:\(probability),maxpool:2,dense:6,batchnorm",
            input: try ImageShape(channels: 1, height: 8, width: 8), hiddenActivation: .fixed(.tanh), outputSize: 3)
    }

    static func data() throws -> Dataset<Float> {
        var generator = SeededGenerator(seed: 5)
        let labels = (0..<16).map { $0 % 3 }
        var features: [Float] = []
        for label in labels {
            for pixel in 0..<64 { features.append(Float(pixel % 3 == label ? 1 : 0) + 0.3 * Float(generator.nextDouble())) }
        }
        return try Dataset(features: try Matrix(rows: 16, columns: 64, scalars: features), labels: labels)
    }

    static func trainer(epochs: Int, architecture: Architecture? = nil) throws -> Trainer<Float> {
        var generator = SeededGenerator(seed: 3)
        let model = Sequential<Float>(
            architecture: try architecture ?? Self.architecture(), initialization: try Initialization(), generator: &generator)
        let configuration = try TrainingConfiguration(
            epochs: epochs, batchSize: 4, optimizer: try OptimizerConfiguration(kind: .sgd, learningRate: 0.05))
        return Trainer(model: model, configuration: configuration, generator: generator)
    }

    @Test func roundTripKeepsNamesShapesAndValues() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let trainer = try Self.trainer(epochs: 1)
        try trainer.train(on: Self.data())
        let path = directory.file("cnn.safetensors")
        try ModelFile.save(trainer.model, to: path)
        let file = try SafeTensors(contentsOf: path)
        #expect(file.tensors["layers.0.weight"]?.shape == [4, 1, 3, 3])
        #expect(file.tensors["layers.3.weight"]?.shape == [6, 4, 3, 3])
        #expect(file.tensors["layers.6.weight"]?.shape == [3, 24])
        let read = try ModelFile.load(path)
        #expect(read.architecture == trainer.model.architecture)
        #expect(read.model.parameters.snapshot().map(\.bitPattern) == trainer.model.parameters.snapshot().map(\.bitPattern))
    }

    @Test(arguments: [false, true])
    func resumingEndsBitIdenticalToAnUninterruptedRun(normalized: Bool) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = try Self.data()
        let architecture = normalized ? try Self.normalized(dropout: 0.3) : try Self.architecture()
        let straight = try Self.trainer(epochs: 4, architecture: architecture)
        try straight.train(on: data)
        let first = try Self.trainer(epochs: 2, architecture: architecture)
        try first.train(on: data)
        let path = directory.file("half.safetensors")
        try ModelFile.save(first.model, trainingState: first.state, to: path)
        let resumed = try Self.trainer(epochs: 4, architecture: architecture)
        try resumed.restore(try #require(try ModelFile.load(path).trainingState))
        try resumed.train(on: data)
        #expect(resumed.model.parameters.snapshot().map(\.bitPattern) == straight.model.parameters.snapshot().map(\.bitPattern))
        #expect(straight.model.parameters.snapshot() != first.model.parameters.snapshot())
    }

    /// Plain, with batch norm and dropout in inference, and with batch norm in training
    /// (batch statistics; dropout 0 so the masks agree).
    @Test(arguments: [(false, false), (true, false), (true, true)])
    func pyTorchLoadsTheFileAndComputesTheSameOutputs(normalized: Bool, training: Bool) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let architecture = normalized ? try Self.normalized(dropout: training ? 0 : 0.5) : try Self.architecture()
        let trainer = try Self.trainer(epochs: 1, architecture: architecture)
        let data = try Self.data()
        try trainer.train(on: data)
        let path = directory.file("cnn.safetensors"), inputPath = directory.file("input.json")
        try ModelFile.save(trainer.model, to: path)
        let input = data.features.rows(0..<5)
        let rows = (0..<5).map { Array(input.row($0)).map(Double.init) }
        try JSONSerialization.data(withJSONObject: rows).write(to: URL(fileURLWithPath: inputPath))
        let output = try PeerPython.run(
            [path, inputPath] + (training ? ["train"] : []),
            script: PeerPython.root.appendingPathComponent("Tests/Peers/torch_model_peer.py").path)
        // The last line is the JSON (warnings, if any, come before it on the shared pipe).
        let line = output.split(separator: "\n").last.map(String.init) ?? ""
        let peer = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [[Double]])
        var generator = SeededGenerator(seed: 0)
        let ours = training ? try trainer.model.trainingForward(input, generator: &generator) : try trainer.model.predict(input)
        for row in 0..<5 {
            for column in 0..<3 {
                #expect(abs(Double(ours[row, column]) - peer[row][column]) <= 1e-5, "row \(row) column \(column)")
            }
        }
    }
}
