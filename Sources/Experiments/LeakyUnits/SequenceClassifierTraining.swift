import Activations
import Datasets
import Networks
import Runtime

/// Trains one leaky recurrent classifier on images read as sequences (sequential
/// Fashion-MNIST) and scores it on test images: the run of one (leak, activation, seed) cell
/// of the leaky-units experiment's second task.
///
/// ```
/// h = LeakyRecurrent(row 0 … row T−1)    the last state, batch × units
/// p = softmax(h·Vᵀ + c)                  batch × classes, cross-entropy against the labels
/// ```
/// Trained with Adam and gradient-norm clipping through all T steps; the same loop as the
/// adding problem's.
package enum SequenceClassifierTraining {
    /// The `task` of its runs in `leaky-units.json`.
    package static let taskName = "sequential-fashion-mnist"

    /// Trains on every image of `training` for `options.epochs` epochs (each in a fresh
    /// order drawn from `seed`, which also draws the weights), then classifies every image of
    /// `test`. `progress(stepsDone)` is called after each step. Time O(epochs · n · T · H ·
    /// (F + H)) for n training images, T steps of F pixels and H units.
    ///
    /// The returned run has `testAccuracy` (0…1), the training cross-entropy curve, the
    /// gradient reach before and after training and, for a learned leak, the time constants.
    /// A training loss, gradient norm or test cross-entropy that is NaN or ±∞ marks it
    /// diverged; `policy` says whether training stops there or backs off (as the adding
    /// problem's runs).
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` for bad options, or naming
    ///   `--data` when `training` and `test` differ in steps, pixels per step or classes.
    package static func run(
        training: SequentialImages, test: SequentialImages, leak: Leak, activation: Activation, seed: Int,
        options: SequentialImagesOptions, policy: DivergencePolicy = .stop, progress: (Int) -> Void = { _ in }
    ) throws -> LeakyUnitsRun {
        try options.validate()
        try checkMatch(training, test)
        let start = MonotonicClock.now
        let length = training.length, featureCount = training.featureCount
        let network = try RecurrentTraining.makeNetwork(
            inputSize: featureCount, units: options.units, activation: activation, leak: leak,
            outputSize: training.images.classCount, seed: seed)
        let distances = RecurrentTraining.reachDistances(length: length)
        let reachUntrained = try reach(network, test: test, distances: distances)

        var order = Array(0..<training.images.count)
        var shuffler = SplitMix64(seed: 0x5EED_1000 &+ UInt64(seed) &* 1_000_003)
        let stepsPerEpoch = options.steps(trainingCount: order.count) / options.epochs
        let curve = try RecurrentTraining.train(
            network, loss: .softmaxCrossEntropy, baseline: nil, steps: options.steps(trainingCount: order.count),
            learningRate: options.learningRate, maximumGradientNorm: options.maximumGradientNorm, policy: policy,
            batch: { step in
                let position = (step - 1) % stepsPerEpoch
                if position == 0 { shuffler.shuffle(&order) }
                let first = position * options.batchSize
                let batch = try training.makeBatch(
                    indices: Array(order[first..<min(first + options.batchSize, order.count)]))
                return RecurrentTraining.Batch(
                    inputs: batch.inputs, size: batch.size, length: length, targets: .classes(batch.labels.map(Int.init)))
            }, progress: progress)

        let score = try score(network, test: test)
        var run = LeakyUnitsRun(
            task: taskName, length: length, variant: leak.variantName, activation: activation.description,
            seed: seed, testAccuracy: score.accuracy, seconds: MonotonicClock.now - start,
            steps: curve.stepsTaken, curveSteps: curve.steps, curveCrossEntropy: curve.losses,
            reachDistances: distances, reachUntrained: reachUntrained,
            reachTrained: try reach(network, test: test, distances: distances),
            learnedTimeConstants: RecurrentTraining.learnedTimeConstants(network, leak: leak),
            backOffs: curve.backOffs)
        RecurrentTraining.record(
            curve, heldOut: DivergenceRule.reason(
                loss: score.crossEntropy, baseline: nil, what: "the test cross-entropy after training"),
            in: &run)
        return run
    }

    /// The fraction of `test` whose largest output is at its label (ties go to the lower
    /// class; a NaN output never wins, so NaN everywhere scores as class 0), and the mean
    /// cross-entropy `logsumexp(f) − f_label` in nats (NaN or ∞ when an output is).
    static func score(_ network: RecurrentNetwork<Float>, test: SequentialImages) throws
        -> (accuracy: Double, crossEntropy: Double)
    {
        var correct = 0
        var crossEntropy = 0.0
        try RecurrentTraining.forEachPrediction(
            network, inputs: test.images.pixels, count: test.images.count, length: test.length,
            featureCount: test.featureCount
        ) { first, outputs in
            for row in 0..<outputs.rows {
                var best = 0
                for column in 1..<outputs.columns where outputs[row, column] > outputs[row, best] { best = column }
                let label = Int(test.images.labels[first + row])
                if best == label { correct += 1 }
                let largest = (0..<outputs.columns).map { Double(outputs[row, $0]) }.max()!
                let sum = (0..<outputs.columns).reduce(0.0) { $0 + Double.exp(Double(outputs[row, $1]) - largest) }
                crossEntropy += Double.log(sum) + largest - Double(outputs[row, label])
            }
        }
        let count = Double(test.images.count)
        return (Double(correct) / count, crossEntropy / count)
    }

    private static func reach(
        _ network: RecurrentNetwork<Float>, test: SequentialImages, distances: [Int]
    ) throws -> [Double] {
        try RecurrentTraining.reach(
            network, inputs: test.images.pixels, count: test.images.count, length: test.length,
            featureCount: test.featureCount, distances: distances)
    }

    private static func checkMatch(_ training: SequentialImages, _ test: SequentialImages) throws(ExperimentError) {
        let shapes = [training, test].map { "\($0.length) steps of \($0.featureCount) pixels, \($0.images.classCount) classes" }
        guard shapes[0] == shapes[1] else {
            throw .invalidOption(
                flag: "--data", reason: "training images are \(shapes[0]) but test images \(shapes[1]); they must match")
        }
    }
}
