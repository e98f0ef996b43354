import Activations
import Networks
import Runtime
import Testing

/// The recurrent layer with its readout, end to end: gradients of the batch loss against
/// finite differences, and a few clipped Adam steps that lower the loss.
@Suite struct RecurrentNetworkTests {
    static func makeNetwork(leak: Leak, outputs: Int) throws -> RecurrentNetwork<Double> {
        let network = try RecurrentNetwork<Double>(
            try LeakyRecurrent(inputSize: 2, units: 6, activation: .tanh, leak: leak), outputSize: outputs)
        var generator = SeededGenerator(seed: 4)
        network.initialize(generator: &generator)
        return network
    }

    @Test(arguments: [(Loss.meanSquaredError, 1), (.softmaxCrossEntropy, 3)])
    func lossGradientMatchesFiniteDifferences(loss: Loss, outputs: Int) throws {
        let network = try Self.makeNetwork(leak: .learned(initialTimeConstants: 2...20), outputs: outputs)
        var generator = SeededGenerator(seed: 5)
        let (batchSize, length) = (4, 7)
        let inputs = GradientCheck.awayFromZero(rows: batchSize * length, columns: 2, &generator).scalars
        let targets: Targets<Double> = loss == .meanSquaredError
            ? .values(GradientCheck.randomMatrix(rows: batchSize, columns: 1, in: 0...2, &generator))
            : .classes([0, 2, 1, 2])
        _ = try network.computeGradients(inputs, batchSize: batchSize, length: length, targets: targets, loss: loss)
        let analytic = Array(network.parameters.gradients)
        let values = network.parameters.snapshot()
        let numeric = try GradientCheck.numericGradient(values) { point in
            try network.parameters.restore(point)
            return try loss.evaluate(
                outputs: try network.predict(inputs, batchSize: batchSize, length: length), targets: targets
            ).value
        }
        try network.parameters.restore(values)
        let error = GradientCheck.relativeError(analytic, numeric)
        #expect(error <= 1e-6, "\(loss): relative error \(error)")
    }

    @Test func clippedAdamStepsLowerTheLoss() throws {
        let network = try Self.makeNetwork(leak: .multiScale(maximumTimeConstant: 20), outputs: 1)
        var generator = SeededGenerator(seed: 6)
        let inputs = GradientCheck.awayFromZero(rows: 8 * 5, columns: 2, &generator).scalars
        let targets = Targets<Double>.values(GradientCheck.randomMatrix(rows: 8, columns: 1, in: 0...2, &generator))
        let optimizer = Optimizer<Double>(
            configuration: try OptimizerConfiguration(kind: .adam, learningRate: 1e-2), layout: network.parameters.layout)
        var losses: [Double] = []
        for _ in 0..<50 {
            losses.append(try network.computeGradients(
                inputs, batchSize: 8, length: 5, targets: targets, loss: .meanSquaredError).value)
            let norm = GradientNormClipping.clip(network.parameters.gradients, maximumNorm: 0.5)
            #expect(GradientNormClipping.euclideanNorm(UnsafeBufferPointer(network.parameters.gradients)) <= max(norm, 0.5) * (1 + 1e-12))
            optimizer.step(network.parameters, learningRate: 1e-2)
        }
        #expect(losses.last! < 0.5 * losses.first!)
        #expect(throws: NetworkError.self) { try RecurrentNetwork<Float>(try LeakyRecurrent(inputSize: 1, units: 1, leak: .none), outputSize: 0) }
    }
}
