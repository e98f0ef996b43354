import Activations
import Networks
import Runtime
import Testing

/// Whole networks against finite differences, and through every loss.
@Suite struct NetworkGradientTests {
    @Test func smoothNetworkWithPReLU() throws {
        let architecture = try Architecture(layers: [
            .dense(inputs: 4, outputs: 6), .prelu(try PReLUOptions(), width: 6),
            .dense(inputs: 6, outputs: 5), .activation(.softplus, width: 5),
            .dense(inputs: 5, outputs: 4), .activation(.tanh, width: 4),
            .dense(inputs: 4, outputs: 3),
        ])
        var generator = SeededGenerator(seed: 40)
        let model = Sequential<Double>(architecture: architecture, initialization: try Initialization(), generator: &generator)
        let slopes = try model.parameters.layout.parameter(named: "layers.1.slopes")
        generator.fillUniform(model.parameters.values(of: slopes), lower: -0.3, upper: 0.6)
        let input = GradientCheck.randomMatrix(rows: 5, columns: 4, in: -1...1, &generator)
        try Self.requireAwayFromKinks(model, input)
        let (parameterError, inputError) = try GradientCheck.check(model, input: input, seed: 41)
        #expect(parameterError <= 1e-6)
        #expect(inputError <= 1e-6)
    }

    @Test(arguments: ["relu", "leaky:0.1", "abs", "prelu:shared"])
    func rectifierNetworkThroughCrossEntropy(hidden: String) throws {
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: 3, hiddenSizes: [7, 5], hiddenActivation: try HiddenActivation(parsing: hidden), outputSize: 4)
        var generator = SeededGenerator(seed: 42)
        let model = Sequential<Double>(architecture: architecture, initialization: try Initialization(), generator: &generator)
        let input = GradientCheck.randomMatrix(rows: 6, columns: 3, in: -1...1, &generator)
        try Self.requireAwayFromKinks(model, input)
        let labels = (0..<6).map { $0 % 4 }
        let loss = Loss.softmaxCrossEntropy
        _ = try model.forward(input)
        let evaluation = try loss.evaluate(outputs: try model.forward(input), targets: .classes(labels))
        _ = try model.backward(outputGradient: evaluation.gradient)
        let analytic = Array(model.parameters.gradients)
        let values = model.parameters.snapshot()
        let numeric = try GradientCheck.numericGradient(values) { point in
            try model.parameters.restore(point)
            return try loss.evaluate(outputs: try model.predict(input), targets: .classes(labels)).value
        }
        #expect(GradientCheck.relativeError(analytic, numeric) <= 1e-6)
    }

    /// Finite differences are exact only where no pre-activation is within reach of a kink.
    static func requireAwayFromKinks(_ model: Sequential<Double>, _ input: Matrix<Double>) throws {
        let outputs = try model.layerOutputs(input)
        for (index, layer) in model.architecture.layers.enumerated() {
            guard case .dense = layer, index + 1 < outputs.count else { continue }
            try #require(outputs[index].scalars.allSatisfy { abs($0) > 1e-4 }, "layers.\(index) output near 0")
        }
    }
}
