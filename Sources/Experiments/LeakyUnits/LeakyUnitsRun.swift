/// One training run of the leaky-units experiment, as written to `leaky-units.json`.
///
/// A run of the adding problem has `final_mse` and `curve_mse`; a run of sequential
/// Fashion-MNIST has `test_accuracy` and `curve_cross_entropy` instead (the other pair is
/// absent from its JSON object). Every run has `back_offs` and `diverged`; a diverged run also
/// `divergence` (the reason) and `diverged_at_step`.
public struct LeakyUnitsRun: Codable, Sendable, Hashable {
    /// `adding` or `sequential-fashion-mnist`.
    public var task: String
    /// Sequence length T (28 for sequential Fashion-MNIST: one row of pixels per step).
    public var length: Int
    /// `plain`, `fixed`, `multiscale` or `learned`.
    public var variant: String
    /// σ's spelling, e.g. `relu`, `tanh`.
    public var activation: String
    public var seed: Int
    /// Adding problem: MSE on the held-out sequences after training (the mean predictor
    /// scores 1/6); nil for a classification task.
    public var finalMSE: Double?
    /// Classification: the fraction of test sequences classified correctly after training,
    /// 0…1; nil for the adding problem.
    public var testAccuracy: Double?
    /// Wall-clock seconds of training and evaluation.
    public var seconds: Double
    /// Training steps taken (fewer than the budget only if the loss became NaN or ∞).
    public var steps: Int
    /// The step each reporting window of the learning curve ends at.
    public var curveSteps: [Int]
    /// Adding problem: the training-batch MSE averaged over each window; nil otherwise.
    public var curveMSE: [Double]?
    /// Classification: the training-batch cross-entropy (nats) averaged over each window;
    /// nil otherwise.
    public var curveCrossEntropy: [Double]?
    /// Distances d = T−1−t at which the reach was sampled (0, 1, 2, … log-spaced to T−1).
    public var reachDistances: [Int]
    /// ‖∂h(T−1)/∂h(T−1−d)‖_F/√units before and after training, at ``reachDistances``.
    public var reachUntrained: [Double]
    public var reachTrained: [Double]
    /// Time constants 1/(1 − α_j) after training (learned α only; empty otherwise).
    public var learnedTimeConstants: [Double]
    /// Learning-rate back-offs taken (``LeakyUnitsOptions/divergence``); 0 under `stop`.
    public var backOffs = 0
    /// Whether the run diverged. A diverged run counts as a failure in every verdict (see
    /// ``LeakyUnitsExperiment``); its ``finalMSE`` or ``testAccuracy`` is that of the weights
    /// it kept (the last checkpoint before a training divergence) and is never used as a number.
    public internal(set) var diverged = false
    /// Why the run diverged (``DivergenceRule``: a training loss, gradient norm or held-out
    /// error that is NaN or ±∞, or an MSE over 10³× the mean predictor's), or nil.
    public internal(set) var divergence: String?
    /// The step at which the divergence was seen: a training step (counting from 1), or, for a
    /// held-out error, ``steps``. Nil when the run did not diverge.
    public internal(set) var divergedAtStep: Int?

    /// Records that the run diverged at `step` for `reason`.
    mutating func markDiverged(at step: Int, reason: String) {
        diverged = true
        divergence = reason
        divergedAtStep = step
    }

    enum CodingKeys: String, CodingKey {
        case task, length, variant, activation, seed, seconds, steps
        case finalMSE = "final_mse"
        case testAccuracy = "test_accuracy"
        case curveSteps = "curve_steps"
        case curveMSE = "curve_mse"
        case curveCrossEntropy = "curve_cross_entropy"
        case reachDistances = "reach_distances"
        case reachUntrained = "reach_untrained"
        case reachTrained = "reach_trained"
        case learnedTimeConstants = "learned_time_constants"
        case backOffs = "back_offs"
        case diverged, divergence
        case divergedAtStep = "diverged_at_step"
    }
}
