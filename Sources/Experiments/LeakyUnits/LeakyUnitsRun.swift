/// One training run of the leaky-units experiment, as written to `leaky-units.json`.
///
/// A run of the adding problem has `final_mse` and `curve_mse`; a run of sequential
/// Fashion-MNIST has `test_accuracy` and `curve_cross_entropy` instead (the other pair is
/// absent from its JSON object). Every run has `back_offs` and `diverged`; a diverged run also
/// `divergence` (the reason) and `diverged_at_step`.
package struct LeakyUnitsRun: Codable, Sendable, Hashable {
    /// `adding` or `sequential-fashion-mnist`.
    package var task: String
    /// Sequence length T (28 for sequential Fashion-MNIST: one row of pixels per step).
    package var length: Int
    /// `plain`, `fixed`, `multiscale` or `learned`.
    package var variant: String
    /// σ's spelling, e.g. `relu`, `tanh`.
    package var activation: String
    package var seed: Int
    /// Adding problem: MSE on the held-out sequences after training (the mean predictor
    /// scores 1/6); nil for a classification task.
    package var finalMSE: Double?
    /// Classification: the fraction of test sequences classified correctly after training,
    /// 0…1; nil for the adding problem.
    package var testAccuracy: Double?
    /// Wall-clock seconds of training and evaluation.
    package var seconds: Double
    /// Training steps taken (fewer than the budget only if the loss became NaN or ∞).
    package var steps: Int
    /// The step each reporting window of the learning curve ends at.
    package var curveSteps: [Int]
    /// Adding problem: the training-batch MSE averaged over each window; nil otherwise.
    package var curveMSE: [Double]?
    /// Classification: the training-batch cross-entropy (nats) averaged over each window;
    /// nil otherwise.
    package var curveCrossEntropy: [Double]?
    /// Distances d = T−1−t at which the reach was sampled (0, 1, 2, … log-spaced to T−1).
    package var reachDistances: [Int]
    /// ‖∂h(T−1)/∂h(T−1−d)‖_F/√units before and after training, at ``reachDistances``.
    package var reachUntrained: [Double]
    package var reachTrained: [Double]
    /// Time constants 1/(1 − α_j) after training (learned α only; empty otherwise).
    package var learnedTimeConstants: [Double]
    /// Learning-rate back-offs taken (``LeakyUnitsOptions/divergence``); 0 under `stop`.
    package var backOffs = 0
    /// Whether the run diverged. A diverged run counts as a failure in every verdict (see
    /// ``LeakyUnitsExperiment``); its ``finalMSE`` or ``testAccuracy`` is that of the weights
    /// it kept (the last checkpoint before a training divergence) and is never used as a number.
    package internal(set) var diverged = false
    /// Why the run diverged (``DivergenceRule``: a training loss, gradient norm or held-out
    /// error that is NaN or ±∞, or an MSE over 10³× the mean predictor's), or nil.
    package internal(set) var divergence: String?
    /// The step at which the divergence was seen: a training step (counting from 1), or, for a
    /// held-out error, ``steps``. Nil when the run did not diverge.
    package internal(set) var divergedAtStep: Int?

    /// Records that the run diverged at `step` for `reason`.
    mutating func markDiverged(at step: Int, reason: String) {
        diverged = true
        divergence = reason
        divergedAtStep = step
    }

    /// The encoder's snake_case takes "MSE" as one word (`final_mse`); decoding turns that
    /// back into `finalMse`, so the two acronym keys are spelled that way.
    enum CodingKeys: String, CodingKey {
        case task, length, variant, activation, seed, seconds, steps, testAccuracy, curveSteps
        case curveCrossEntropy, reachDistances, reachUntrained, reachTrained, learnedTimeConstants
        case backOffs, diverged, divergence, divergedAtStep
        case finalMSE = "finalMse", curveMSE = "curveMse"
    }
}
