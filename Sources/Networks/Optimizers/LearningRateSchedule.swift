#if canImport(Glibc)
import Glibc
#endif

/// How the learning rate changes over training, as a factor of the base rate at each
/// optimiser step s (counted from 0), with E = steps per epoch, T = total steps, W = warm-up
/// steps:
///
/// ```
/// warm-up    w(s) = s < W ? (s + 1) / W : 1                         (linear, optional)
/// constant   d(s) = 1
/// step       d(s) = factor ^ ⌊(s / E) / everyEpochs⌋                 (per epoch, as StepLR)
/// cosine     d(s) = m + (1 − m)·(1 + cos(π·t / (T − W))) / 2,  t = clamp(s − W, 0, T − W)
/// rate(s) = base · w(s) · d(s)
/// ```
public struct LearningRateSchedule: Hashable, Sendable, Codable {
    /// The decay after warm-up.
    public enum Decay: Hashable, Sendable, Codable {
        /// No decay.
        case constant
        /// Multiply by `factor` every `everyEpochs` epochs.
        case step(everyEpochs: Int, factor: Double)
        /// Half a cosine from 1 down to `minimumFactor` at the last step.
        case cosine(minimumFactor: Double)
    }

    /// The decay after warm-up.
    public let decay: Decay
    /// Steps of linear warm-up from base/W to base (0: none).
    public let warmupSteps: Int

    /// A constant rate with no warm-up.
    public static let constant = LearningRateSchedule(validated: .constant, warmupSteps: 0)

    /// - Throws: ``TrainingError/invalidHyperparameter(name:value:allowed:)`` for
    ///   `everyEpochs` < 1, a step factor outside (0, 1], a cosine minimum outside [0, 1],
    ///   or negative warm-up steps.
    public init(decay: Decay = .constant, warmupSteps: Int = 0) throws(TrainingError) {
        try TrainingError.require(warmupSteps >= 0, "warm-up steps", warmupSteps, "an integer ≥ 0")
        switch decay {
        case .constant: break
        case let .step(everyEpochs, factor):
            try TrainingError.require(everyEpochs >= 1, "step decay period", everyEpochs, "an integer ≥ 1 epochs")
            try TrainingError.require(factor > 0 && factor <= 1, "step decay factor", factor, "a number in (0, 1]")
        case let .cosine(minimumFactor):
            try TrainingError.require(
                minimumFactor >= 0 && minimumFactor <= 1, "cosine minimum factor", minimumFactor, "a number in [0, 1]")
        }
        self.init(validated: decay, warmupSteps: warmupSteps)
    }

    private init(validated decay: Decay, warmupSteps: Int) {
        self.decay = decay
        self.warmupSteps = warmupSteps
    }

    /// The factor of the base rate at step `step` (0-based) of `totalSteps`.
    public func factor(step: Int, stepsPerEpoch: Int, totalSteps: Int) -> Double {
        let warmup = step < warmupSteps ? Double(step + 1) / Double(warmupSteps) : 1
        switch decay {
        case .constant:
            return warmup
        case let .step(everyEpochs, factor):
            let epoch = step / Swift.max(1, stepsPerEpoch)
            return warmup * pow(factor, Double(epoch / everyEpochs))
        case let .cosine(minimumFactor):
            let span = Swift.max(1, totalSteps - warmupSteps)
            let progress = Double(Swift.min(Swift.max(step - warmupSteps, 0), span)) / Double(span)
            return warmup * (minimumFactor + (1 - minimumFactor) * (1 + cos(Double.pi * progress)) / 2)
        }
    }
}

extension LearningRateSchedule {
    private enum CodingKeys: String, CodingKey {
        case decay, warmupSteps
    }

    /// Decodes and validates as ``init(decay:warmupSteps:)`` does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            decay: try container.decode(Decay.self, forKey: .decay),
            warmupSteps: try container.decode(Int.self, forKey: .warmupSteps))
    }
}
