import Activations
import Networks
import Runtime
import Testing

/// Back-propagation through time against central finite differences in Double, for W, U, b,
/// the learned leak logits a, the leaks α themselves and the inputs.
@Suite struct LeakyRecurrentGradientTests {
    static let batchSize = 3, length = 6, features = 3, units = 5

    /// A Double layer with random parameters and biases shifted so ReLU units are mixed.
    static func makeLayer(
        activation: Activation, leak: Leak, seed: UInt64
    ) throws -> LeakyRecurrentLayer<Double> {
        let layer = LeakyRecurrentLayer<Double>(
            try LeakyRecurrent(inputSize: features, units: units, activation: activation, leak: leak))
        var generator = SeededGenerator(seed: seed)
        layer.initialize(generator: &generator, recurrentGain: 0.9)
        generator.fillUniform(layer.parameters.values(of: layer.places.bias), lower: -0.3, upper: 0.5)
        return layer
    }

    /// Σ weights ⊙ (last or every state), after a forward pass at the current parameters.
    static func loss(
        _ layer: LeakyRecurrentLayer<Double>, inputs: [Double], weights: [Double], allStates: Bool
    ) throws -> Double {
        try inputs.withUnsafeBufferPointer { try layer.forward($0, batchSize: batchSize, length: length) }
        let states = allStates ? layer.allStates() : Array(layer.lastState.buffer)
        return zip(states, weights).reduce(0) { $0 + $1.0 * $1.1 }
    }

    static let leaks: [Leak] = [
        .none, .fixed(0.9), .multiScale(maximumTimeConstant: 50), .learned(initialTimeConstants: 1.5...30),
    ]
    static let activations: [Activation] = [.relu, .tanh, .softplus, .sigmoid, try! .leakyReLU(negativeSlope: 0.1)]

    @Test(arguments: leaks, [false, true])
    func parameterGradientsMatchFiniteDifferences(leak: Leak, allStates: Bool) throws {
        for (index, activation) in Self.activations.enumerated() {
            let layer = try Self.makeLayer(activation: activation, leak: leak, seed: UInt64(10 + index))
            var generator = SeededGenerator(seed: 99)
            let inputs = GradientCheck.awayFromZero(
                rows: Self.batchSize * Self.length, columns: Self.features, &generator).scalars
            let stateCount = allStates ? Self.batchSize * Self.length * Self.units : Self.batchSize * Self.units
            let weights = GradientCheck.randomMatrix(rows: stateCount, columns: 1, in: -1...1, &generator).scalars
            _ = try Self.loss(layer, inputs: inputs, weights: weights, allStates: allStates)
            var inputGradient = [Double](repeating: 0, count: inputs.count)
            try weights.withUnsafeBufferPointer { g in
                try inputGradient.withUnsafeMutableBufferPointer { dx in
                    try layer.backward(allStates ? .all(g) : .last(g), inputGradient: dx)
                }
            }
            let tensors = [layer.places.inputWeight, layer.places.recurrentWeight, layer.places.bias]
                + (layer.places.leakLogit.map { [$0] } ?? [])
            for info in tensors {
                let analytic = Array(layer.parameters.gradients(of: info))
                let original = Array(layer.parameters.values(of: info))
                let numeric = try GradientCheck.numericGradient(original) { point in
                    _ = layer.parameters.values(of: info).update(fromContentsOf: point)
                    return try Self.loss(layer, inputs: inputs, weights: weights, allStates: allStates)
                }
                _ = layer.parameters.values(of: info).update(fromContentsOf: original)
                let error = GradientCheck.relativeError(analytic, numeric)
                #expect(error <= 1e-6, "\(info.name), \(activation), \(leak): relative error \(error)")
                #expect(analytic.contains { $0 != 0 }, "\(info.name) has an all-zero gradient")
            }
            let numericInput = try GradientCheck.numericGradient(inputs) { point in
                try Self.loss(layer, inputs: point, weights: weights, allStates: allStates)
            }
            let inputError = GradientCheck.relativeError(inputGradient, numericInput)
            #expect(inputError <= 1e-6, "inputs, \(activation), \(leak): relative error \(inputError)")
        }
    }

    /// ∂L/∂α itself (``LeakyRecurrentLayer/leakGradient``): move each α_j by ±h through its
    /// logit, a = log(α/(1 − α)).
    @Test(arguments: activations)
    func leakGradientMatchesFiniteDifferencesInAlpha(activation: Activation) throws {
        let layer = try Self.makeLayer(
            activation: activation, leak: .learned(initialTimeConstants: 1.2...40), seed: 5)
        var generator = SeededGenerator(seed: 6)
        let inputs = GradientCheck.awayFromZero(
            rows: Self.batchSize * Self.length, columns: Self.features, &generator).scalars
        let weights = GradientCheck.randomMatrix(
            rows: Self.batchSize * Self.units, columns: 1, in: -1...1, &generator).scalars
        _ = try Self.loss(layer, inputs: inputs, weights: weights, allStates: false)
        try weights.withUnsafeBufferPointer { try layer.backward(.last($0)) }
        let analytic = layer.leakGradient
        let logits = layer.parameters.values(of: layer.places.leakLogit!)
        let originalLogits = Array(logits)
        let alphas = originalLogits.map { 1 / (1 + (-$0).exp) }
        let numeric = try GradientCheck.numericGradient(alphas) { point in
            for j in point.indices { logits[j] = Double.log(point[j] / (1 - point[j])) }
            return try Self.loss(layer, inputs: inputs, weights: weights, allStates: false)
        }
        _ = logits.update(fromContentsOf: originalLogits)
        let error = GradientCheck.relativeError(analytic, numeric)
        #expect(error <= 1e-6, "α, \(activation): relative error \(error)")
    }

    @Test func backwardRefusesWrongSizesAndMissingForward() throws {
        let layer = try Self.makeLayer(activation: .relu, leak: .none, seed: 1)
        let gradient = [Double](repeating: 0, count: 7)
        gradient.withUnsafeBufferPointer { g in
            #expect(throws: NetworkError.self) { try layer.backward(.last(g)) }
        }
        let inputs = [Double](repeating: 0.5, count: Self.batchSize * Self.length * Self.features)
        try inputs.withUnsafeBufferPointer { try layer.forward($0, batchSize: Self.batchSize, length: Self.length) }
        gradient.withUnsafeBufferPointer { g in
            let last = #expect(throws: NetworkError.self) { try layer.backward(.last(g)) }
            #expect(last?.description.contains("last-state gradient") == true)
            #expect(throws: NetworkError.self) { try layer.backward(.all(g)) }
        }
    }
}

extension Double {
    fileprivate var exp: Double { Double.exp(self) }
}
