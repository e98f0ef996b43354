import Networks

extension RecurrentTraining {
    /// Checkpoints per run: the loop keeps the state after every `steps / 10` steps, once the
    /// next step's loss has shown it sound; the state a divergence goes back to (the recurrent
    /// counterpart of the trainer's epoch).
    static let checkpointsPerRun = 10

    /// What the loop did: the steps in the final weights, the training loss averaged over each
    /// window of steps with the step each window ends at, the learning-rate back-offs, and
    /// where the run diverged (nil when it did not).
    struct Curve {
        var stepsTaken = 0
        var steps: [Int] = []
        var losses: [Double] = []
        var backOffs = 0
        var divergence: Divergence?
    }

    /// Why a run diverged and the step at which it was seen (counting from 1; after training,
    /// the number of steps taken).
    struct Divergence: Hashable {
        var step: Int
        var reason: String
    }

    /// Trains `network` for `steps` Adam steps on `loss`, each on `batch(step)` (step counts
    /// from 1), clipping the gradient norm to `maximumGradientNorm`.
    ///
    /// Divergence (``DivergenceRule``): a step whose training loss is NaN or ±∞, or over 10³×
    /// `baseline` (the mean predictor's loss; nil for none), or whose gradient norm is not
    /// finite, is caught before its update. The weights, Adam's state and the curve go back to
    /// the last checkpoint (the state after a multiple of `steps / ``checkpointsPerRun``` steps
    /// whose following loss passed; the initial state before the first), never keeping the
    /// weights that diverged. `policy` then says what
    /// follows: ``DivergencePolicy/stop`` ends the run there, diverged;
    /// ``DivergencePolicy/backOff(factor:maxRetries:)`` multiplies the rate and trains again
    /// from the checkpoint, at most `maxRetries` times in the run, then ends it diverged.
    /// `progress(step)` follows each step with the furthest step reached.
    static func train(
        _ network: RecurrentNetwork<Float>, loss: Loss, baseline: Double?, steps: Int, learningRate: Double,
        maximumGradientNorm: Double, policy: DivergencePolicy, batch: (Int) throws -> Batch,
        progress: (Int) -> Void
    ) throws -> Curve {
        let optimizer = Optimizer<Float>(
            configuration: try OptimizerConfiguration(kind: .adam, learningRate: learningRate),
            layout: network.parameters.layout)
        let window = max(1, steps / curvePoints)
        let interval = max(1, steps / checkpointsPerRun)
        var curve = Curve()
        var windowSum = 0.0, windowCount = 0
        var rate = learningRate
        var checkpoint = (
            step: 0, parameters: network.parameters.snapshot(), optimizer: optimizer.state, curve: curve,
            windowSum: windowSum, windowCount: windowCount)
        var step = 0, furthest = 0
        while step < steps {
            step += 1
            let next = try batch(step)
            let evaluation = try network.computeGradients(
                next.inputs, batchSize: next.size, length: next.length, targets: next.targets, loss: loss)
            var reason = DivergenceRule.reason(loss: evaluation.value, baseline: baseline, what: "the training loss")
            if reason == nil {
                let norm = GradientNormClipping.clip(network.parameters.gradients, maximumNorm: maximumGradientNorm)
                if !norm.isFinite { reason = "the gradient norm is \(norm)" }
            }
            if reason == nil, (step - 1) % interval == 0, step > 1 {
                checkpoint = (
                    step - 1, network.parameters.snapshot(), optimizer.state, curve, windowSum, windowCount)
            }
            if let reason {
                try network.parameters.restore(checkpoint.parameters)
                try optimizer.restore(checkpoint.optimizer)
                let backOffs = curve.backOffs
                (curve, windowSum, windowCount) = (checkpoint.curve, checkpoint.windowSum, checkpoint.windowCount)
                curve.backOffs = backOffs
                if case let .backOff(factor, maxRetries) = policy, backOffs < maxRetries {
                    rate *= factor
                    curve.backOffs += 1
                    step = checkpoint.step
                    continue
                }
                curve.divergence = Divergence(step: step, reason: reason)
                break
            }
            optimizer.step(network.parameters, learningRate: rate)
            curve.stepsTaken = step
            windowSum += evaluation.value
            windowCount += 1
            if windowCount == window || step == steps {
                curve.steps.append(step)
                curve.losses.append(windowSum / Double(windowCount))
                windowSum = 0
                windowCount = 0
            }
            furthest = max(furthest, step)
            progress(furthest)
        }
        return curve
    }

    /// Marks `run` diverged where `curve` did, or else, when `heldOut` gives a reason (the
    /// held-out error diverged after training), at the last step taken.
    static func record(_ curve: Curve, heldOut: String?, in run: inout LeakyUnitsRun) {
        if let divergence = curve.divergence {
            run.markDiverged(at: divergence.step, reason: divergence.reason)
        } else if let heldOut {
            run.markDiverged(at: curve.stepsTaken, reason: heldOut)
        }
    }
}
