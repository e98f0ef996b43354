import Activations
import Networks
import Runtime
import Testing

/// Every layer's backward pass against central finite differences in Double.
@Suite struct LayerGradientTests {
    @Test func denseWeightsBiasAndInput() throws {
        let model = Sequential<Double>(architecture: try Architecture(layers: [.dense(inputs: 5, outputs: 4)]))
        var generator = SeededGenerator(seed: 1)
        generator.fillUniform(model.parameters.values, lower: -1, upper: 1)
        let input = GradientCheck.randomMatrix(rows: 3, columns: 5, in: -1...1, &generator)
        let (parameterError, inputError) = try GradientCheck.check(model, input: input, seed: 2)
        #expect(parameterError <= 1e-6)
        #expect(inputError <= 1e-6)
    }

    @Test func denseMatchesItsDefinition() throws {
        // y = x·Wᵀ + b with W [out, in]: the PyTorch layout.
        let model = Sequential<Double>(architecture: try Architecture(layers: [.dense(inputs: 2, outputs: 3)]))
        try model.parameters.setTensor(named: "layers.0.weight", to: [1, 2, 3, 4, 5, 6])
        try model.parameters.setTensor(named: "layers.0.bias", to: [0.5, -0.5, 1])
        let output = try model.predict(try Matrix([[1, 10], [-1, 0]]))
        #expect(output == (try Matrix([[21.5, 42.5, 66], [-0.5, -3.5, -4]])))
    }

    @Test(arguments: [
        "identity", "relu", "leaky:0.01", "leaky:0.3", "leaky:-0.5", "abs", "softplus",
        "softplus:beta=2.0", "sigmoid", "tanh", "relu:derivative_at_zero=0.5",
        "gelu", "gelu:tanh", "silu", "elu", "elu:alpha=0.5", "selu", "mish",
    ])
    func activationLayer(spelling: String) throws {
        let activation = try Activation(parsing: spelling)
        let model = Sequential<Double>(architecture: try Architecture(layers: [.activation(activation, width: 6)]))
        var generator = SeededGenerator(seed: 3)
        let input = GradientCheck.awayFromZero(rows: 4, columns: 6, &generator)
        let (_, inputError) = try GradientCheck.check(model, input: input, seed: 4)
        #expect(inputError <= 1e-6)
        // The layer computes the family's definition (the kernels are within a few ulps).
        for (y, x) in zip(try model.predict(input).scalars, input.scalars) {
            #expect(abs(y - activation.value(x)) <= 1e-14 * max(1, abs(y)))
        }
    }

    @Test(arguments: [false, true])
    func preluSlopesAndInput(shared: Bool) throws {
        let options = try PReLUOptions(shared: shared)
        let model = Sequential<Double>(architecture: try Architecture(layers: [.prelu(options, width: 5)]))
        #expect(model.parameters.layout.parameters.map(\.shape) == [[shared ? 1 : 5]])
        #expect(Array(model.parameters.values) == [Double](repeating: 0.25, count: shared ? 1 : 5))
        var generator = SeededGenerator(seed: 5)
        generator.fillUniform(model.parameters.values, lower: -0.5, upper: 1.5)
        let input = GradientCheck.awayFromZero(rows: 6, columns: 5, &generator)
        let (slopeError, inputError) = try GradientCheck.check(model, input: input, seed: 6)
        #expect(slopeError <= 1e-6)
        #expect(inputError <= 1e-6)
    }

    @Test func preluSlopeGradientIsSumOfGradientTimesNegativePart() throws {
        // dα_j = Σ_b g_bj · min(0, x_bj)
        let model = Sequential<Double>(architecture: try Architecture(layers: [.prelu(try PReLUOptions(), width: 2)]))
        let input = try Matrix<Double>([[-2, 3], [-1, -4], [5, 0]])
        let gradient = try Matrix<Double>([[1, 2], [3, 0.5], [7, 9]])
        _ = try model.forward(input)
        let inputGradient = try model.backward(outputGradient: gradient)
        let expectedSlopeGradient: [Double] = [1 * -2 + 3 * -1, 0.5 * -4]
        #expect(Array(model.parameters.gradients) == expectedSlopeGradient)
        // At x = 0 the derivative is the left slope α (leaky ReLU's convention).
        #expect(inputGradient == (try Matrix([[0.25, 2], [0.75, 0.125], [7, 2.25]])))
    }

    @Test func preluEqualsLeakyReLUWithTheSameSlope() throws {
        let model = Sequential<Float>(architecture: try Architecture(layers: [.prelu(try PReLUOptions(initialSlope: 0.1), width: 4)]))
        let leaky = try Activation.leakyReLU(negativeSlope: 0.1)
        let input = try Matrix<Float>([[-3, -0.0, 0, 2], [-Float.infinity, 1e-30, -1e-30, .infinity]])
        let output = try model.predict(input)
        for (x, y) in zip(input.scalars, output.scalars) {
            #expect(y.bitPattern == leaky.value(x).bitPattern)
        }
    }
}
