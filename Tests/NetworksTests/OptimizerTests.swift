import Foundation
import Networks
import Testing

/// Optimiser steps against the published update formulas, written out here on plain arrays.
@Suite struct OptimizerTests {
    /// Two tensors: `decayed` [3] (weight decay on) and `kept` [2] (off).
    static func store() -> ParameterStore<Double> {
        var layout = ParameterLayout()
        layout.append(name: "decayed", shape: [3], weightDecay: true)
        layout.append(name: "kept", shape: [2], weightDecay: false)
        let store = ParameterStore<Double>(layout: layout)
        _ = store.values.initialize(from: [1, -2, 0.5, 3, 4])
        return store
    }

    static let gradients: [[Double]] = [[0.1, -0.2, 0.3, 0.4, -0.5], [-0.3, 0.1, 0.2, 0.0, 0.7], [0.5, 0.5, -0.1, 0.2, 0.1]]
    static let decayMask: [Double] = [1, 1, 1, 0, 0]

    static func run(_ kind: OptimizerKind, learningRate: Double, weightDecay: Double) throws -> [Double] {
        let store = store()
        let optimizer = Optimizer<Double>(
            configuration: try OptimizerConfiguration(kind: kind, learningRate: learningRate, weightDecay: weightDecay),
            layout: store.layout)
        for gradient in gradients {
            _ = store.gradients.initialize(from: gradient)
            optimizer.step(store, learningRate: learningRate)
        }
        #expect(optimizer.stepCount == gradients.count)
        return Array(store.values)
    }

    static func expectClose(_ a: [Double], _ b: [Double]) {
        for (x, y) in zip(a, b) { #expect(abs(x - y) <= 1e-14 * max(1, abs(y)), "\(a) vs \(b)") }
    }

    @Test(arguments: [(0.0, false), (0.9, false), (0.9, true)])
    func sgd(momentum: Double, nesterov: Bool) throws {
        let (rate, decay) = (0.1, 0.01)
        var p: [Double] = [1, -2, 0.5, 3, 4], buffer = [Double](repeating: 0, count: 5)
        for gradient in Self.gradients {
            for i in p.indices {
                var g = gradient[i] + decay * Self.decayMask[i] * p[i]
                if momentum > 0 {
                    buffer[i] = momentum * buffer[i] + g
                    g = nesterov ? g + momentum * buffer[i] : buffer[i]
                }
                p[i] -= rate * g
            }
        }
        Self.expectClose(try Self.run(.sgd(momentum: momentum, nesterov: nesterov), learningRate: rate, weightDecay: decay), p)
    }

    @Test(arguments: [false, true])
    func adamAndAdamW(decoupled: Bool) throws {
        let (rate, decay, beta1, beta2, epsilon) = (0.01, 0.1, 0.9, 0.999, 1e-8)
        var p: [Double] = [1, -2, 0.5, 3, 4]
        var m = [Double](repeating: 0, count: 5), v = m
        for (step, gradient) in Self.gradients.enumerated() {
            let t = Double(step + 1)
            for i in p.indices {
                let lambda = decay * Self.decayMask[i]
                var g = gradient[i]
                if decoupled { p[i] -= rate * lambda * p[i] } else { g += lambda * p[i] }
                m[i] = beta1 * m[i] + (1 - beta1) * g
                v[i] = beta2 * v[i] + (1 - beta2) * g * g
                let mHat = m[i] / (1 - pow(beta1, t)), vHat = v[i] / (1 - pow(beta2, t))
                p[i] -= rate * mHat / (vHat.squareRoot() + epsilon)
            }
        }
        let kind: OptimizerKind = decoupled
            ? .adamW(beta1: beta1, beta2: beta2, epsilon: epsilon) : .adam(beta1: beta1, beta2: beta2, epsilon: epsilon)
        Self.expectClose(try Self.run(kind, learningRate: rate, weightDecay: decay), p)
    }

    @Test func stateRestoresExactly() throws {
        let configuration = try OptimizerConfiguration(kind: .adam, learningRate: 0.01)
        let store = Self.store(), other = Self.store()
        let first = Optimizer<Double>(configuration: configuration, layout: store.layout)
        _ = store.gradients.initialize(from: Self.gradients[0])
        first.step(store, learningRate: 0.01)
        let second = Optimizer<Double>(configuration: configuration, layout: store.layout)
        try second.restore(first.state)
        try other.restore(store.snapshot())
        #expect(second.state == first.state)
        #expect(first.buffers.map(\.name) == ["exp_avg", "exp_avg_sq"])
        for (optimizer, parameters) in [(first, store), (second, other)] {
            _ = parameters.gradients.initialize(from: Self.gradients[1])
            optimizer.step(parameters, learningRate: 0.01)
        }
        #expect(store.snapshot() == other.snapshot())
    }

    @Test func mismatchedStateIsATypedError() throws {
        let optimizer = Optimizer<Double>(
            configuration: try OptimizerConfiguration(kind: .adam, learningRate: 0.01), layout: Self.store().layout)
        #expect(throws: TrainingError.self) {
            try optimizer.restore(OptimizerState(stepCount: 1, buffers: ["momentum_buffer": [0, 0, 0, 0, 0]]))
        }
        #expect(throws: TrainingError.self) {
            try optimizer.restore(OptimizerState(stepCount: 1, buffers: ["exp_avg": [0], "exp_avg_sq": [0]]))
        }
    }

    @Test(arguments: [
        (OptimizerKind.adam, -1e-3, 0.0, "learning rate"),
        (OptimizerKind.adam, .nan, 0.0, "learning rate"),
        (OptimizerKind.adam, .infinity, 0.0, "learning rate"),
        (OptimizerKind.adam, 1e-3, -1.0, "weight decay"),
        (OptimizerKind.adam(beta1: 0, beta2: 0.999, epsilon: 1e-8), 1e-3, 0.0, "beta1"),
        (OptimizerKind.adamW(beta1: 0.9, beta2: 1, epsilon: 1e-8), 1e-3, 0.0, "beta2"),
        (OptimizerKind.adam(beta1: 0.9, beta2: 0.999, epsilon: 0), 1e-3, 0.0, "epsilon"),
        (OptimizerKind.sgd(momentum: 1, nesterov: false), 1e-3, 0.0, "momentum"),
        (OptimizerKind.sgd(momentum: 0, nesterov: true), 1e-3, 0.0, "nesterov"),
    ])
    func impossibleHyperparameters(kind: OptimizerKind, rate: Double, decay: Double, name: String) {
        #expect {
            try OptimizerConfiguration(kind: kind, learningRate: rate, weightDecay: decay)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix(name) && !text.contains("\n")
        }
    }
}

@Suite struct ScheduleTests {
    @Test func stepDecayPerEpoch() throws {
        let schedule = try LearningRateSchedule(decay: .step(everyEpochs: 2, factor: 0.5))
        let factors = [0, 19, 20, 39, 40].map { schedule.factor(step: $0, stepsPerEpoch: 10, totalSteps: 100) }
        #expect(factors == [1, 1, 0.5, 0.5, 0.25])
    }

    @Test func cosineWithWarmup() throws {
        let plain = try LearningRateSchedule(decay: .cosine(minimumFactor: 0.1))
        #expect(plain.factor(step: 0, stepsPerEpoch: 10, totalSteps: 100) == 1)
        #expect(abs(plain.factor(step: 50, stepsPerEpoch: 10, totalSteps: 100) - 0.55) < 1e-15)
        #expect(abs(plain.factor(step: 100, stepsPerEpoch: 10, totalSteps: 100) - 0.1) < 1e-15)
        let warm = try LearningRateSchedule(decay: .cosine(minimumFactor: 0.1), warmupSteps: 10)
        #expect(warm.factor(step: 0, stepsPerEpoch: 10, totalSteps: 100) == 0.1)
        #expect(warm.factor(step: 4, stepsPerEpoch: 10, totalSteps: 100) == 0.5)
        #expect(warm.factor(step: 10, stepsPerEpoch: 10, totalSteps: 100) == 1)
        #expect(abs(warm.factor(step: 55, stepsPerEpoch: 10, totalSteps: 100) - 0.55) < 1e-15)
        #expect(LearningRateSchedule.constant.factor(step: 1234, stepsPerEpoch: 10, totalSteps: 100) == 1)
    }

    @Test(arguments: [
        (LearningRateSchedule.Decay.step(everyEpochs: 0, factor: 0.5), 0, "step decay period"),
        (.step(everyEpochs: 1, factor: 0), 0, "step decay factor"),
        (.step(everyEpochs: 1, factor: 1.5), 0, "step decay factor"),
        (.cosine(minimumFactor: -0.1), 0, "cosine minimum factor"),
        (.constant, -1, "warm-up steps"),
    ])
    func badSchedules(decay: LearningRateSchedule.Decay, warmup: Int, name: String) {
        #expect {
            try LearningRateSchedule(decay: decay, warmupSteps: warmup)
        } throws: { "\($0)".hasPrefix(name) }
    }
}
