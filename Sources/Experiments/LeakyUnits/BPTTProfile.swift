import Activations
import Datasets
import Networks
import Runtime

/// Where a BPTT step's time goes: one training step (forward, backward, clipping, Adam) of
/// the adding problem at hidden 128, batch 64, T = 200, timed with ``Profiling``.
package struct BPTTProfile: Codable, Sendable, Hashable {
    /// Median seconds per step.
    package var secondsPerStep: Double
    /// Share of the step spent inside BLAS (GEMMs), 0…1.
    package var gemmShare: Double
    /// Share spent in the activation kernels.
    package var activationShare: Double
    /// Each timed step's seconds and share inside BLAS (the verdict's repetitions).
    package var stepSeconds: [Double]
    package var gemmShares: [Double]
    package var units: Int
    package var batchSize: Int
    package var length: Int
    package var threads: Int

    /// Times `steps` steps after one warm-up step; returns the medians.
    package static func measure(
        units: Int = 128, batchSize: Int = 64, length: Int = 200, steps: Int = 7
    ) throws -> BPTTProfile {
        let network = try RecurrentNetwork<Float>(
            try LeakyRecurrent(inputSize: 2, units: units, activation: .relu, leak: .multiScale(maximumTimeConstant: 1000)),
            outputSize: 1)
        var generator = SeededGenerator(seed: 1)
        network.initialize(generator: &generator)
        let optimizer = Optimizer<Float>(
            configuration: try OptimizerConfiguration(kind: .adam, learningRate: 1e-3), layout: network.parameters.layout)
        let batch = try AddingProblem(length: length).makeBatch(size: batchSize, seed: 7)
        let targets = Targets<Float>.values(try Matrix(rows: batchSize, columns: 1, scalars: batch.targets))
        var totals: [Double] = [], gemm: [Double] = [], activations: [Double] = []
        let profiler = Profiler()
        let execution = Execution.current.with(profiler: profiler)
        for step in 0...steps {
            profiler.reset()
            let start = MonotonicClock.now
            _ = try execution.run {
                try network.computeGradients(
                    batch.inputs, batchSize: batchSize, length: length, targets: targets, loss: .meanSquaredError)
            }
            GradientNormClipping.clip(network.parameters.gradients, maximumNorm: 1)
            execution.run { optimizer.step(network.parameters, learningRate: 1e-3) }
            guard step > 0 else { continue }
            totals.append(MonotonicClock.now - start)
            gemm.append(profiler.seconds(in: .gemm))
            activations.append(profiler.seconds(in: .activations))
        }
        let total = totals.median
        return BPTTProfile(
            secondsPerStep: total, gemmShare: gemm.median / total,
            activationShare: activations.median / total,
            stepSeconds: totals, gemmShares: zip(gemm, totals).map { $0 / $1 }, units: units,
            batchSize: batchSize, length: length, threads: execution.threads)
    }
}
