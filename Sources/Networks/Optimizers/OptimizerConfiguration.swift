/// An update rule with its hyper-parameters (PyTorch's definitions and defaults).
public enum OptimizerKind: Hashable, Sendable, Codable {
    /// Stochastic gradient descent, with optional heavy-ball or Nesterov momentum μ ∈ [0, 1).
    case sgd(momentum: Double, nesterov: Bool)
    /// Adam (Kingma and Ba 2015); weight decay is added to the gradient (L2).
    case adam(beta1: Double, beta2: Double, epsilon: Double)
    /// AdamW (Loshchilov and Hutter 2019): weight decay applied to the weights directly.
    case adamW(beta1: Double, beta2: Double, epsilon: Double)

    /// Plain SGD.
    public static let sgd = OptimizerKind.sgd(momentum: 0, nesterov: false)
    /// Adam with β₁ = 0.9, β₂ = 0.999, ε = 1e−8.
    public static let adam = OptimizerKind.adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
    /// AdamW with β₁ = 0.9, β₂ = 0.999, ε = 1e−8.
    public static let adamW = OptimizerKind.adamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)

    /// The names of the optimiser's state buffers, as PyTorch names them.
    public var stateBufferNames: [String] {
        switch self {
        case .sgd(let momentum, _): return momentum > 0 ? ["momentum_buffer"] : []
        case .adam, .adamW: return ["exp_avg", "exp_avg_sq"]
        }
    }
}

/// The optimiser of a run: rule, base learning rate, weight decay and schedule.
public struct OptimizerConfiguration: Hashable, Sendable, Codable {
    /// The update rule and its own hyper-parameters.
    public let kind: OptimizerKind
    /// The base learning rate η (> 0).
    public let learningRate: Double
    /// λ ≥ 0, applied only to parameters whose ``ParameterInfo/weightDecay`` flag is set.
    public let weightDecay: Double
    /// How the rate changes over the steps of the run.
    public let schedule: LearningRateSchedule

    /// - Throws: ``TrainingError/invalidHyperparameter(name:value:allowed:)`` naming the
    ///   parameter: learning rate not finite and > 0, weight decay not finite and ≥ 0,
    ///   momentum outside [0, 1), Nesterov without momentum, β₁ or β₂ outside (0, 1),
    ///   ε not finite and > 0.
    public init(
        kind: OptimizerKind, learningRate: Double, weightDecay: Double = 0,
        schedule: LearningRateSchedule = .constant
    ) throws(TrainingError) {
        try TrainingError.require(
            learningRate > 0 && learningRate.isFinite, "learning rate", learningRate, "a finite number > 0")
        try TrainingError.require(
            weightDecay >= 0 && weightDecay.isFinite, "weight decay", weightDecay, "a finite number ≥ 0")
        switch kind {
        case let .sgd(momentum, nesterov):
            try TrainingError.require(momentum >= 0 && momentum < 1, "momentum", momentum, "a number in [0, 1)")
            try TrainingError.require(!nesterov || momentum > 0, "nesterov", nesterov, "needs momentum > 0")
        case let .adam(beta1, beta2, epsilon), let .adamW(beta1, beta2, epsilon):
            try TrainingError.require(beta1 > 0 && beta1 < 1, "beta1", beta1, "a number in (0, 1)")
            try TrainingError.require(beta2 > 0 && beta2 < 1, "beta2", beta2, "a number in (0, 1)")
            try TrainingError.require(epsilon > 0 && epsilon.isFinite, "epsilon", epsilon, "a finite number > 0")
        }
        self.kind = kind
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.schedule = schedule
    }
}

extension OptimizerConfiguration {
    private enum CodingKeys: String, CodingKey {
        case kind, learningRate, weightDecay, schedule
    }

    /// Decodes and validates as ``init(kind:learningRate:weightDecay:schedule:)`` does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            kind: try container.decode(OptimizerKind.self, forKey: .kind),
            learningRate: try container.decode(Double.self, forKey: .learningRate),
            weightDecay: try container.decode(Double.self, forKey: .weightDecay),
            schedule: try container.decode(LearningRateSchedule.self, forKey: .schedule))
    }
}
