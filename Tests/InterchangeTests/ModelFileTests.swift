import Activations
import Interchange
import Networks
import Runtime
import Testing

/// Model files: a model, its training state and its running average come back bit for bit,
/// a resumed run continues exactly, and every malformed field is refused by name.
@Suite struct ModelFileTests {
    /// 12 samples of 5 features in three classes, separable enough to learn.
    static func data<Scalar: ActivationScalar>(_ type: Scalar.Type = Float.self) throws -> Dataset<Scalar> {
        var generator = SeededGenerator(seed: 11)
        let labels = (0..<12).map { $0 % 3 }
        var features: [Scalar] = []
        for label in labels {
            for column in 0..<5 {
                features.append(Scalar(Double(column == label ? 1 : 0) + 0.3 * generator.nextDouble()))
            }
        }
        return try Dataset(features: try Matrix(rows: 12, columns: 5, scalars: features), labels: labels)
    }

    static func trainer<Scalar: ActivationScalar>(
        _ activation: String, epochs: Int, as type: Scalar.Type = Float.self
    ) throws -> Trainer<Scalar> {
        var generator = SeededGenerator(seed: 3)
        let model = Sequential<Scalar>(
            architecture: try .multilayerPerceptron(
                inputSize: 5, hiddenSizes: [6, 4], hiddenActivation: try HiddenActivation(parsing: activation),
                outputSize: 3),
            initialization: try Initialization(), generator: &generator)
        let configuration = try TrainingConfiguration(
            epochs: epochs, batchSize: 4, optimizer: try OptimizerConfiguration(kind: .adam, learningRate: 0.01))
        return Trainer(model: model, configuration: configuration, generator: generator)
    }

    @Test func floatModelWithStateAndAverageRoundTrips() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let trainer = try Self.trainer("relu", epochs: 2)
        try trainer.train(on: Self.data())
        let state = trainer.state
        let average = AveragedParameters(decay: 0.9, updateCount: 7, values: state.parameters.map { $0 * 0.5 })
        let path = directory.file("model.safetensors")
        try ModelFile.save(
            trainer.model, trainingState: state, averagedParameters: average, metadata: ["note": "two epochs"],
            to: path)
        let read = try ModelFile.load(path)
        #expect(read.architecture == trainer.model.architecture)
        #expect(read.model.parameters.snapshot().map(\.bitPattern) == state.parameters.map(\.bitPattern))
        #expect(read.trainingState == state)
        #expect(read.averagedParameters == average)
        #expect(read.metadata == ["note": "two epochs"])
        #expect(read.storedDType == .float32)
        let names = Set(try SafeTensors(contentsOf: path).tensors.keys)
        #expect(names.contains("layers.0.weight") && names.contains("layers.4.bias"))
        #expect(names.contains("optimizer.exp_avg.layers.2.weight") && names.contains("optimizer.exp_avg_sq.layers.0.bias"))
        #expect(names.contains("average.layers.0.weight") && names.contains(ModelFile.dataOrderTensor))
    }

    @Test func doublePReLUModelWithoutStateRoundTrips() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let trainer = try Self.trainer("prelu", epochs: 1, as: Double.self)
        try trainer.train(on: Self.data(Double.self))
        let path = directory.file("model.safetensors")
        try ModelFile.save(trainer.model, to: path)
        let read = try ModelFile.load(path, as: Double.self)
        #expect(read.model.parameters.snapshot() == trainer.model.parameters.snapshot())
        #expect(read.trainingState == nil && read.averagedParameters == nil && read.metadata.isEmpty)
        #expect(read.storedDType == .float64)
        #expect(try SafeTensors(contentsOf: path).tensor(named: "layers.1.slopes").shape == [6])
        let asFloat = try ModelFile.load(path)
        #expect(asFloat.model.parameters.snapshot() == trainer.model.parameters.snapshot().map { Float($0) })
    }

    @Test func resumingFromTheFileEndsBitIdenticalToAnUninterruptedRun() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = try Self.data()
        let straight = try Self.trainer("leaky_relu", epochs: 4)
        try straight.train(on: data)

        let first = try Self.trainer("leaky_relu", epochs: 2)
        try first.train(on: data)
        let path = directory.file("half.safetensors")
        try ModelFile.save(first.model, trainingState: first.state, to: path)
        let read = try ModelFile.load(path)
        let resumed = try Self.trainer("leaky_relu", epochs: 4)
        try resumed.restore(try #require(read.trainingState))
        try resumed.train(on: data)
        #expect(resumed.model.parameters.snapshot().map(\.bitPattern) == straight.model.parameters.snapshot().map(\.bitPattern))
        #expect(resumed.state == straight.state)
    }

    @Test func savingRefusesReservedKeysAndStatesThatDoNotFit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let trainer = try Self.trainer("relu", epochs: 1)
        let path = directory.file("model.safetensors")
        #expect(throws: ModelFileError.reservedMetadataKey(key: "rectifier.format")) {
            try ModelFile.save(trainer.model, metadata: ["rectifier.format": "x"], to: path)
        }
        var state = trainer.state
        state.parameters.removeLast()
        #expect {
            try ModelFile.save(trainer.model, trainingState: state, to: path)
        } throws: { error in
            guard case .stateMismatch = error as? ModelFileError else { return false }
            return true
        }
        let average = AveragedParameters<Float>(decay: 1, updateCount: 0, values: trainer.state.parameters)
        #expect {
            try ModelFile.save(trainer.model, averagedParameters: average, to: path)
        } throws: { error in
            guard case .stateMismatch = error as? ModelFileError else { return false }
            return true
        }
        #expect(try directory.contents().isEmpty)
        #expect {
            try ModelFile.save(trainer.model, to: directory.file("missing/model.safetensors"))
        } throws: { error in
            guard case .safeTensors(.writeFailed) = error as? ModelFileError else { return false }
            return true
        }
    }
}
