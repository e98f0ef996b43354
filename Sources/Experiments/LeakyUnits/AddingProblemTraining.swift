import Activations
import Datasets
import Networks
import Runtime

/// Trains one leaky recurrent network on the adding problem and measures it: the run of one
/// (length, leak, activation, seed) cell of the experiment.
enum AddingProblemTraining {
    /// The `task` of its runs in `leaky-units.json`.
    static let taskName = "adding"

    /// Trains with Adam and gradient-norm clipping on fresh batches, then scores held-out
    /// sequences; a training loss or a held-out MSE over 10³× the mean predictor's 1/6 (or not
    /// finite) marks the run diverged (``RecurrentTraining/train(_:loss:baseline:steps:learningRate:maximumGradientNorm:policy:batch:progress:)``).
    /// `progress(stepsDone)` is called after each step.
    static func run(
        length: Int, leak: Leak, activation: Activation, seed: Int, options: LeakyUnitsOptions,
        testSet: SequenceRegressionBatch, progress: (Int) -> Void
    ) throws -> LeakyUnitsRun {
        let start = MonotonicClock.now
        let problem = try AddingProblem(length: length)
        let network = try RecurrentTraining.makeNetwork(
            inputSize: AddingProblem.featureCount, units: options.units, activation: activation, leak: leak,
            outputSize: 1, seed: seed)
        var data = SplitMix64(seed: 0x5EED_0000 &+ UInt64(seed) &* 1_000_003 &+ UInt64(length))
        let distances = RecurrentTraining.reachDistances(length: length)
        let reachUntrained = try reach(network, testSet: testSet, distances: distances)
        let curve = try RecurrentTraining.train(
            network, loss: .meanSquaredError, baseline: AddingProblem.meanPredictionError, steps: options.steps,
            learningRate: options.learningRate, maximumGradientNorm: options.maximumGradientNorm,
            policy: options.divergence,
            batch: { _ in
                let batch = try problem.makeBatch(size: options.batchSize, using: &data)
                return RecurrentTraining.Batch(
                    inputs: batch.inputs, size: batch.size, length: length,
                    targets: .values(try Matrix(rows: batch.size, columns: 1, scalars: batch.targets)))
            }, progress: progress)
        let finalMSE = try meanSquaredError(network, testSet: testSet)
        let reachTrained = try reach(network, testSet: testSet, distances: distances)
        var run = LeakyUnitsRun(
            task: taskName, length: length, variant: leak.variantName, activation: activation.description,
            seed: seed, finalMSE: finalMSE, seconds: MonotonicClock.now - start, steps: curve.stepsTaken,
            curveSteps: curve.steps, curveMSE: curve.losses, reachDistances: distances,
            reachUntrained: reachUntrained, reachTrained: reachTrained,
            learnedTimeConstants: RecurrentTraining.learnedTimeConstants(network, leak: leak),
            backOffs: curve.backOffs)
        RecurrentTraining.record(
            curve, heldOut: DivergenceRule.reason(
                loss: finalMSE, baseline: AddingProblem.meanPredictionError, what: "the held-out MSE after training"),
            in: &run)
        return run
    }

    /// The held-out MSE; NaN predictions give NaN.
    static func meanSquaredError(_ network: RecurrentNetwork<Float>, testSet: SequenceRegressionBatch) throws -> Double {
        var total = 0.0
        try RecurrentTraining.forEachPrediction(
            network, inputs: testSet.inputs, count: testSet.size, length: testSet.length,
            featureCount: testSet.featureCount
        ) { first, outputs in
            for row in 0..<outputs.rows {
                let difference = Double(outputs[row, 0]) - Double(testSet.targets[first + row])
                total += difference * difference
            }
        }
        return total / Double(testSet.size)
    }

    private static func reach(
        _ network: RecurrentNetwork<Float>, testSet: SequenceRegressionBatch, distances: [Int]
    ) throws -> [Double] {
        try RecurrentTraining.reach(
            network, inputs: testSet.inputs, count: testSet.size, length: testSet.length,
            featureCount: testSet.featureCount, distances: distances)
    }
}
