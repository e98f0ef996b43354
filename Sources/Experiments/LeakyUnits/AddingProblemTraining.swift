import Activations
import Datasets
import Networks

/// Trains one leaky recurrent network on the adding problem and measures it: the run of one
/// (length, leak, activation, seed) cell of the experiment.
enum AddingProblemTraining {
    /// Sequences per evaluation chunk (bounds the workspace at T = 400).
    static let evaluationChunk = 256
    /// Sequences the gradient reach is averaged over.
    static let reachSamples = 4

    /// Trains with Adam and gradient-norm clipping on fresh batches, then scores held-out
    /// sequences. `progress(stepsDone)` is called after each step.
    static func run(
        length: Int, leak: Leak, activation: Activation, seed: Int, options: LeakyUnitsOptions,
        testSet: SequenceRegressionBatch, progress: (Int) -> Void
    ) throws -> LeakyUnitsRun {
        let start = ContinuousClock.now
        let problem = try AddingProblem(length: length)
        let network = try RecurrentNetwork<Float>(
            try LeakyRecurrent(
                inputSize: AddingProblem.featureCount, units: options.units, activation: activation, leak: leak),
            outputSize: 1)
        var weights = SeededGenerator(seed: UInt64(seed))
        network.initialize(generator: &weights)
        var data = SplitMix64(seed: 0x5EED_0000 &+ UInt64(seed) &* 1_000_003 &+ UInt64(length))
        let optimizer = Optimizer<Float>(
            configuration: try OptimizerConfiguration(kind: .adam, learningRate: options.learningRate),
            layout: network.parameters.layout)

        let distances = reachDistances(length: length)
        let reachUntrained = try reach(network, testSet: testSet, distances: distances)
        let window = max(1, options.steps / 50)
        var curveSteps: [Int] = [], curveMSE: [Double] = []
        var windowSum = 0.0, windowCount = 0, stepsTaken = 0
        for step in 1...options.steps {
            let batch = try problem.makeBatch(size: options.batchSize, using: &data)
            let targets = Targets<Float>.values(try Matrix(rows: batch.size, columns: 1, scalars: batch.targets))
            let evaluation = try network.computeGradients(
                batch.inputs, batchSize: batch.size, length: length, targets: targets, loss: .meanSquaredError)
            guard evaluation.value.isFinite else { break }
            let norm = GradientNormClipping.clip(network.parameters.gradients, maximumNorm: options.maximumGradientNorm)
            guard norm.isFinite else { break }
            optimizer.step(network.parameters, learningRate: options.learningRate)
            stepsTaken = step
            windowSum += evaluation.value
            windowCount += 1
            if windowCount == window || step == options.steps {
                curveSteps.append(step)
                curveMSE.append(windowSum / Double(windowCount))
                windowSum = 0
                windowCount = 0
            }
            progress(step)
        }
        let finalMSE = try meanSquaredError(network, testSet: testSet)
        let reachTrained = try reach(network, testSet: testSet, distances: distances)
        let timeConstants = leak.isLearned ? network.recurrent.alphas.map { 1 / (1 - Double($0)) } : []
        return LeakyUnitsRun(
            task: "adding", length: length, variant: leak.variantName, activation: activation.description,
            seed: seed, finalMSE: finalMSE, seconds: secondsSince(start), steps: stepsTaken,
            curveSteps: curveSteps, curveMSE: curveMSE, reachDistances: distances,
            reachUntrained: reachUntrained, reachTrained: reachTrained, learnedTimeConstants: timeConstants)
    }

    /// The held-out MSE, in chunks; NaN predictions give NaN.
    static func meanSquaredError(_ network: RecurrentNetwork<Float>, testSet: SequenceRegressionBatch) throws -> Double {
        var total = 0.0
        var first = 0
        let perSequence = testSet.length * testSet.featureCount
        while first < testSet.size {
            let count = min(evaluationChunk, testSet.size - first)
            let inputs = Array(testSet.inputs[first * perSequence..<(first + count) * perSequence])
            let outputs = try network.predict(inputs, batchSize: count, length: testSet.length)
            for row in 0..<count {
                let difference = Double(outputs[row, 0]) - Double(testSet.targets[first + row])
                total += difference * difference
            }
            first += count
        }
        return total / Double(testSet.size)
    }

    /// The gradient reach on the first held-out sequences, at `distances`.
    static func reach(
        _ network: RecurrentNetwork<Float>, testSet: SequenceRegressionBatch, distances: [Int]
    ) throws -> [Double] {
        let samples = min(reachSamples, testSet.size)
        let inputs = Array(testSet.inputs[0..<samples * testSet.length * testSet.featureCount])
        _ = try network.predict(inputs, batchSize: samples, length: testSet.length)
        let curve = try network.recurrent.gradientReach(samples: samples)
        return distances.map { curve[testSet.length - 1 - $0] }
    }

    /// 0, 1, 2, 3, … then about 12 per decade up to T − 1.
    static func reachDistances(length: Int) -> [Int] {
        var distances: [Int] = []
        var value = 0.0
        while Int(value) < length {
            if distances.last != Int(value) { distances.append(Int(value)) }
            value = max(value + 1, value * 1.2)
        }
        if distances.last != length - 1 { distances.append(length - 1) }
        return distances
    }
}

/// Seconds elapsed on the monotonic clock since `start`.
func secondsSince(_ start: ContinuousClock.Instant) -> Double {
    let elapsed = (ContinuousClock.now - start).components
    return Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
}
