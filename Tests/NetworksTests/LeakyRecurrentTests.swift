import Activations
import Networks
import Runtime
import Testing

/// The leaky recurrent layer's forward pass against a plain scalar twin, its leaks, its
/// gradient reach, clipping, and the errors it throws.
@Suite struct LeakyRecurrentTests {
    /// The scalar twin: h(t) = α ⊙ h(t−1) + (1 − α) ⊙ σ(W·x(t) + U·h(t−1) + b), in Double,
    /// batch-major states `batch × length × units`.
    static func referenceStates(
        _ layer: LeakyRecurrentLayer<Double>, inputs: [Double], batchSize: Int, length: Int
    ) -> [Double] {
        let f = layer.configuration.inputSize, n = layer.configuration.units
        let w = Array(layer.parameters.values(of: layer.places.inputWeight))
        let u = Array(layer.parameters.values(of: layer.places.recurrentWeight))
        let b = Array(layer.parameters.values(of: layer.places.bias))
        let alpha: [Double] = layer.places.leakLogit.map { info in
            layer.parameters.values(of: info).map { 1 / (1 + Double.exp(-$0)) }
        } ?? layer.configuration.leak.initialAlphas(units: n)
        var states = [Double](repeating: 0, count: batchSize * length * n)
        for sequence in 0..<batchSize {
            var h = [Double](repeating: 0, count: n)
            for step in 0..<length {
                var next = h
                for j in 0..<n {
                    var z = b[j]
                    for k in 0..<f { z += w[j * f + k] * inputs[(sequence * length + step) * f + k] }
                    for k in 0..<n { z += u[j * n + k] * h[k] }
                    next[j] = alpha[j] * h[j] + (1 - alpha[j]) * layer.configuration.activation.value(z)
                }
                h = next
                for j in 0..<n { states[(sequence * length + step) * n + j] = h[j] }
            }
        }
        return states
    }

    static func layer<T: ActivationScalar>(
        _ type: T.Type, activation: Activation, leak: Leak, inputSize: Int = 3, units: Int = 20, seed: UInt64 = 3
    ) throws -> LeakyRecurrentLayer<T> {
        let layer = LeakyRecurrentLayer<T>(
            try LeakyRecurrent(inputSize: inputSize, units: units, activation: activation, leak: leak))
        var generator = SeededGenerator(seed: seed)
        layer.initialize(generator: &generator)
        return layer
    }

    @Test(arguments: [Leak.none, .fixed(0.95), .multiScale(maximumTimeConstant: 100), .learned(initialTimeConstants: 2...50)])
    func forwardMatchesTheScalarTwinInDoubleAndFloat(leak: Leak) throws {
        let (batchSize, length) = (4, 30)
        for activation in [Activation.relu, .tanh, .softplus] {
            let exact = try Self.layer(Double.self, activation: activation, leak: leak)
            let single = try Self.layer(Float.self, activation: activation, leak: leak)
            var generator = SeededGenerator(seed: 8)
            var inputs = [Double](repeating: 0, count: batchSize * length * 3)
            inputs.withUnsafeMutableBufferPointer { generator.fillNormal($0) }
            try inputs.withUnsafeBufferPointer { try exact.forward($0, batchSize: batchSize, length: length) }
            try inputs.map(Float.init).withUnsafeBufferPointer {
                try single.forward($0, batchSize: batchSize, length: length)
            }
            let reference = Self.referenceStates(exact, inputs: inputs, batchSize: batchSize, length: length)
            let scale = reference.map(abs).max()!
            let doubleError = zip(exact.allStates(), reference).map { abs($0 - $1) }.max()!
            let floatError = zip(single.allStates(), reference).map { abs(Double($0) - $1) }.max()!
            #expect(doubleError <= 1e-12 * scale, "\(activation), \(leak): Double error \(doubleError)")
            #expect(floatError <= 1e-5 * scale, "\(activation), \(leak): Float error \(floatError)")
            let all = exact.allStates()
            var lastOfEach: [Double] = []
            for sequence in 0..<batchSize {
                let end = (sequence + 1) * length * 20
                lastOfEach += all[(end - 20)..<end]
            }
            #expect(Array(exact.lastState.buffer) == lastOfEach)
        }
    }

    @Test func multiScaleTimeConstantsAreLogUniformFromOneToTheMaximum() {
        let alphas = Leak.multiScale(maximumTimeConstant: 1000).initialAlphas(units: 4)
        let timeConstants = alphas.map { 1 / (1 - $0) }
        #expect(alphas[0] == 0)
        for (tau, expected) in zip(timeConstants, [1.0, 10, 100, 1000]) {
            #expect(abs(tau - expected) <= 1e-9 * expected)
        }
        let learned = Leak.learned(initialTimeConstants: 2...8).initialLogits(units: 3)
        for (logit, tau) in zip(learned, [2.0, 4, 8]) { #expect(abs(logit - Double.log(tau - 1)) < 1e-12) }
        #expect(Leak.fixed(0.9).initialAlphas(units: 3) == [0.9, 0.9, 0.9])
    }

    /// With U = 0 each step's Jacobian is diag(α): the reach is exactly α^(T−1−t).
    @Test func reachWithoutRecurrentWeightsIsAlphaToThePowerOfTheDistance() throws {
        for alpha in [0.0, 0.5, 0.9] {
            let layer = try Self.layer(Double.self, activation: .tanh, leak: .fixed(alpha), units: 6)
            layer.parameters.values(of: layer.places.recurrentWeight).update(repeating: 0)
            let inputs = [Double](repeating: 0.3, count: 2 * 12 * 3)
            try inputs.withUnsafeBufferPointer { try layer.forward($0, batchSize: 2, length: 12) }
            let reach = try layer.gradientReach(samples: 2)
            for (step, value) in reach.enumerated() {
                let expected = Double.pow(alpha, 11 - step)
                #expect(abs(value - expected) <= 1e-14, "α \(alpha), step \(step)")
            }
        }
    }

    /// With σ = identity, α = 0 and U = c·I the product is c^(T−1−t)·I.
    @Test func reachOfALinearLayerIsTheMatrixPower() throws {
        let layer = try Self.layer(Double.self, activation: .identity, leak: .none, units: 4)
        let u = layer.parameters.values(of: layer.places.recurrentWeight)
        u.update(repeating: 0)
        for j in 0..<4 { u[j * 4 + j] = 0.8 }
        let inputs = [Double](repeating: 1, count: 10 * 3)
        try inputs.withUnsafeBufferPointer { try layer.forward($0, batchSize: 1, length: 10) }
        let reach = try layer.gradientReach(samples: 1)
        for (step, value) in reach.enumerated() {
            #expect(abs(value - Double.pow(0.8, Double(9 - step))) <= 1e-14)
        }
        #expect(throws: NetworkError.self) { try layer.gradientReach(samples: 2) }
    }

    @Test func clippingScalesLargeGradientsToTheMaximumNormAndKeepsSmallOnes() {
        var large: [Float] = [3, 4, 0, 0, 0, 0, 0, 0, 0, 12]
        let norm = large.withUnsafeMutableBufferPointer { GradientNormClipping.clip($0, maximumNorm: 1) }
        #expect(norm == 13)
        let expected: [Float] = [3, 4, 0, 0, 0, 0, 0, 0, 0, 12].map { $0 / 13 }
        for (value, target) in zip(large, expected) { #expect(abs(value - target) <= 1e-7) }
        var small: [Double] = [0.1, -0.2, 0.2]
        let smallNorm = small.withUnsafeMutableBufferPointer { GradientNormClipping.clip($0, maximumNorm: 1) }
        #expect(abs(smallNorm - 0.3) < 1e-15 && small == [0.1, -0.2, 0.2])
        var infinite: [Double] = [.infinity, 1]
        #expect(infinite.withUnsafeMutableBufferPointer { GradientNormClipping.clip($0, maximumNorm: 1) } == .infinity)
        #expect(infinite == [.infinity, 1])
    }

    @Test func badLeaksSizesAndSequencesAreRefused() throws {
        for leak in [Leak.fixed(1), .fixed(-0.1), .fixed(.nan), .fixed(1.5), .multiScale(maximumTimeConstant: 0.5),
                     .multiScale(maximumTimeConstant: .infinity), .learned(initialTimeConstants: 1...10)] {
            let error = #expect(throws: NetworkError.self) {
                try LeakyRecurrent(inputSize: 2, units: 4, leak: leak)
            }
            #expect(error?.description.contains("leak") == true, "\(leak)")
        }
        #expect(throws: NetworkError.self) { try LeakyRecurrent(inputSize: 0, units: 4, leak: .none) }
        #expect(throws: NetworkError.self) { try LeakyRecurrent(inputSize: 2, units: 0, leak: .none) }
        let layer = try Self.layer(Float.self, activation: .relu, leak: .none, inputSize: 2, units: 4)
        let inputs = [Float](repeating: 0, count: 24)
        inputs.withUnsafeBufferPointer { x in
            let empty = #expect(throws: NetworkError.self) { try layer.forward(x, batchSize: 2, length: 0) }
            #expect(empty?.description.contains("length 0") == true)
            let mismatch = #expect(throws: NetworkError.self) { try layer.forward(x, batchSize: 2, length: 4) }
            #expect(mismatch?.description.contains("2 × 4 × 2") == true)
            #expect(throws: NetworkError.self) { try layer.forward(x, batchSize: 0, length: 6) }
        }
        #expect(throws: NetworkError.self) { try layer.gradientReach(samples: 1) }
    }
}
