/// One training run of the leaky-units experiment, as written to `leaky-units.json`.
///
/// A run of the adding problem has `final_mse` and `curve_mse`; a run of sequential
/// Fashion-MNIST has `test_accuracy` and `curve_cross_entropy` instead (the other pair is
/// absent from its JSON object).
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
    }
}
