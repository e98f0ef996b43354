/// One training run of the leaky-units experiment, as written to `leaky-units.json`.
public struct LeakyUnitsRun: Codable, Sendable, Hashable {
    /// `adding`.
    public var task: String
    /// Sequence length T.
    public var length: Int
    /// `plain`, `fixed`, `multiscale` or `learned`.
    public var variant: String
    /// σ's spelling, e.g. `relu`, `tanh`.
    public var activation: String
    public var seed: Int
    /// MSE on the held-out sequences after training (the mean predictor scores 1/6).
    public var finalMSE: Double
    /// Wall-clock seconds of training and evaluation.
    public var seconds: Double
    /// Training steps taken (fewer than the budget only if the loss became NaN or ∞).
    public var steps: Int
    /// The training-batch MSE averaged over each reporting window, and the step it ends at.
    public var curveSteps: [Int]
    public var curveMSE: [Double]
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
        case curveSteps = "curve_steps"
        case curveMSE = "curve_mse"
        case reachDistances = "reach_distances"
        case reachUntrained = "reach_untrained"
        case reachTrained = "reach_trained"
        case learnedTimeConstants = "learned_time_constants"
    }
}
