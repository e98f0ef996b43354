import Activations
import Networks
import Runtime
import Testing

/// Image layers inside `Architecture` and `Sequential`: gradients through whole networks,
/// parameter names and shapes, JSON round trips and refusals.
@Suite struct ConvolutionalNetworkTests {
    /// conv 3×3 same → tanh → maxpool 2 → conv 2×2 valid → softplus → flatten → dense.
    static func smallNetwork() throws -> Architecture {
        let image = try ImageShape(channels: 1, height: 6, width: 6)
        let first = try Convolution2D(input: image, outputChannels: 2, kernelSize: 3, padding: .same)
        let pool = try Pooling2D(input: first.output, kernelSize: 2)
        let second = try Convolution2D(input: pool.output, outputChannels: 3, kernelSize: 2)
        return try Architecture(layers: [
            .convolution(first), .activation(.tanh, width: first.output.count), .maxPooling(pool),
            .convolution(second), .activation(try Activation(parsing: "softplus"), width: second.output.count),
            .flatten(second.output), .dense(inputs: second.output.count, outputs: 4),
        ])
    }

    /// conv 3×3 stride 2 → avgpool 2 stride 1 → gap → dense.
    static func averagingNetwork() throws -> Architecture {
        let image = try ImageShape(channels: 2, height: 7, width: 7)
        let convolution = try Convolution2D(input: image, outputChannels: 3, kernelSize: 3, stride: 2, padding: .same)
        let pool = try Pooling2D(input: convolution.output, kernelSize: 2, stride: 1)
        return try Architecture(layers: [
            .convolution(convolution), .averagePooling(pool), .globalAveragePooling(pool.output),
            .dense(inputs: 3, outputs: 2),
        ])
    }

    @Test(arguments: [0, 1])
    func gradientsThroughWholeNetworks(which: Int) throws {
        let architecture = which == 0 ? try Self.smallNetwork() : try Self.averagingNetwork()
        var generator = SeededGenerator(seed: UInt64(100 + which))
        let model = Sequential<Double>(architecture: architecture, initialization: try Initialization(), generator: &generator)
        generator.fillUniform(model.parameters.values, lower: -0.5, upper: 0.5)
        let input = GradientCheck.randomMatrix(rows: 3, columns: architecture.inputSize, in: -1...1, &generator)
        let (parameterError, inputError) = try GradientCheck.check(model, input: input, seed: 7)
        #expect(parameterError <= 1e-7)
        #expect(inputError <= 1e-7)
    }

    @Test func parametersHavePyTorchNamesAndOIHWShapes() throws {
        let layout = try Self.smallNetwork().parameterLayout
        #expect(layout.parameters.map(\.name) == [
            "layers.0.weight", "layers.0.bias", "layers.3.weight", "layers.3.bias", "layers.6.weight", "layers.6.bias",
        ])
        #expect(layout.parameters.map(\.shape) == [[2, 1, 3, 3], [2], [3, 2, 2, 2], [3], [4, 12], [4]])
    }

    @Test func heInitializationUsesTheConvolutionsFanIn() throws {
        let geometry = try Convolution2D(
            input: try ImageShape(channels: 8, height: 12, width: 12), outputChannels: 64, kernelSize: 5)
        var generator = SeededGenerator(seed: 11)
        let model = Sequential<Double>(
            architecture: try Architecture(layers: [.convolution(geometry)]), initialization: try Initialization(),
            generator: &generator)
        let weights = try model.parameters.tensor(named: "layers.0.weight")
        let deviation = (weights.reduce(0) { $0 + $1 * $1 } / Double(weights.count)).squareRoot()
        // N(0, 2/fanIn) with fanIn = C·K·K = 200 (the output layer's slope is 0): σ = 0.1.
        #expect(abs(deviation - 0.1) < 0.005)
        #expect(try model.parameters.tensor(named: "layers.0.bias").allSatisfy { $0 == 0 })
    }

    @Test func jsonRoundTrip() throws {
        for architecture in [try Self.smallNetwork(), try Self.averagingNetwork()] {
            #expect(try Architecture(json: architecture.jsonString) == architecture)
        }
        #expect(try Self.smallNetwork().jsonString.contains(
            #"{"filters":2,"input":[1,6,6],"kernel":3,"padding":"same","stride":1,"type":"conv"}"#))
    }

    @Test(arguments: [
        #"{"layers":[{"type":"conv","input":[1,6,6],"filters":0,"kernel":3,"stride":1,"padding":"same"}]}"#,
        #"{"layers":[{"type":"conv","input":[1,6,6],"filters":2,"kernel":7,"stride":1,"padding":"valid"}]}"#,
        #"{"layers":[{"type":"conv","input":[1,6,6],"filters":2,"kernel":3,"stride":-1,"padding":"same"}]}"#,
        #"{"layers":[{"type":"conv","input":[1,6,6],"filters":2,"kernel":3,"stride":1,"padding":"full"}]}"#,
        #"{"layers":[{"type":"conv","input":[1,6],"filters":2,"kernel":3,"stride":1,"padding":"same"}]}"#,
        #"{"layers":[{"type":"maxpool","input":[1,6,6],"kernel":9223372036854775807,"stride":1}]}"#,
        #"{"layers":[{"type":"gap","input":[0,6,6]}]}"#,
        #"{"layers":[{"type":"flatten","input":[2147483647,2147483647,2147483647]}]}"#,
        #"{"layers":[{"type":"maxpool","input":[2,6,6],"kernel":2,"stride":2},{"type":"gap","input":[3,3,2]}]}"#,
    ])
    func badImageLayersAreRefusedInOneLine(json: String) {
        do {
            _ = try Architecture(json: json)
            Issue.record("accepted \(json)")
        } catch {
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func modelMemoryCountsTheConvolutionScratch() throws {
        let architecture = try Self.smallNetwork()
        let withoutScratch = MemoryBudget.sum(
            MemoryBudget.product(architecture.parameterLayout.count, 2, 4),
            MemoryBudget.product(architecture.valuesPerSample!, 2, Sequential<Float>.predictionChunk, 4))!
        #expect(Sequential<Float>.requiredBytes(for: architecture)! > withoutScratch)
    }

    @Test func trainingAStepLowersTheLoss() throws {
        var generator = SeededGenerator(seed: 9)
        let model = Sequential<Float>(architecture: try Self.smallNetwork(), initialization: try Initialization(), generator: &generator)
        let input = Matrix<Float>(converting: GradientCheck.randomMatrix(rows: 8, columns: 36, in: 0...1, &generator))
        let target = Matrix<Float>(converting: GradientCheck.randomMatrix(rows: 8, columns: 4, in: -1...1, &generator))
        func loss() throws -> Float {
            let output = try model.forward(input)
            return zip(output.scalars, target.scalars).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        }
        let before = try loss()
        let output = try model.forward(input)
        let gradient = try Matrix(rows: 8, columns: 4, scalars: zip(output.scalars, target.scalars).map { 2 * ($0 - $1) })
        _ = try model.backward(outputGradient: gradient)
        for index in 0..<model.parameters.count { model.parameters.values[index] -= 0.01 * model.parameters.gradients[index] }
        #expect(try loss() < before)
    }
}
