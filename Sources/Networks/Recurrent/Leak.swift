import Activations

/// How a leaky recurrent layer chooses each unit's leak α_j, the weight of its linear
/// self-connection in `h(t) = α ⊙ h(t−1) + (1 − α) ⊙ σ(…)`.
///
/// A unit with leak α is a running average whose effective time constant is
/// `τ = 1/(1 − α)` steps: α = 0 forgets at once (τ = 1, the plain recurrent layer), α = 0.99
/// remembers about 100 steps. The three ways:
///
/// | case | α_j |
/// |---|---|
/// | ``fixed(_:)`` | one value for every unit, in [0, 1) |
/// | ``multiScale(maximumTimeConstant:)`` | `1 − 1/τ_j`, τ_j log-uniform from 1 to T_max |
/// | ``learned(initialTimeConstants:)`` | `sigmoid(a_j)`, a_j a parameter trained by gradient |
public enum Leak: Hashable, Sendable, Codable {
    /// The same α for every unit; α = 0 is the plain recurrent layer.
    case fixed(Double)
    /// Fixed per-unit leaks whose time constants `τ_j = T_max^(j/(n−1))`, j = 0…n−1, are
    /// spread evenly on a log scale from 1 (α = 0) to `maximumTimeConstant` (one unit: T_max).
    case multiScale(maximumTimeConstant: Double)
    /// Learned leaks `α_j = sigmoid(a_j)`; a_j starts at `logit(1 − 1/τ_j)` with τ_j spread
    /// log-uniformly over `initialTimeConstants` as in ``multiScale(maximumTimeConstant:)``.
    /// The lower bound must exceed 1 (α = 0 would need a_j = −∞).
    case learned(initialTimeConstants: ClosedRange<Double>)

    /// The plain recurrent layer, α = 0.
    public static let none = Leak.fixed(0)

    /// Whether α is a trained parameter.
    public var isLearned: Bool {
        if case .learned = self { return true }
        return false
    }

    /// The spelling used in experiment results: `plain` (α = 0), `fixed`, `multiscale`,
    /// `learned`.
    public var variantName: String {
        switch self {
        case .fixed(let alpha): return alpha == 0 ? "plain" : "fixed"
        case .multiScale: return "multiscale"
        case .learned: return "learned"
        }
    }

    /// - Throws: ``NetworkError/invalidArchitecture(field:detail:)`` when a fixed α is outside
    ///   [0, 1), T_max is not finite and ≥ 1, or the learned range is not finite with lower
    ///   bound > 1.
    public func validate() throws(NetworkError) {
        switch self {
        case .fixed(let alpha):
            guard alpha >= 0, alpha < 1 else {
                throw .invalidArchitecture(field: "leak", detail: "α = \(alpha) is not in [0, 1)")
            }
        case .multiScale(let maximum):
            guard maximum >= 1, maximum.isFinite else {
                throw .invalidArchitecture(
                    field: "leak", detail: "maximum time constant \(maximum) is not a finite number ≥ 1")
            }
        case .learned(let range):
            guard range.lowerBound > 1, range.upperBound.isFinite else {
                throw .invalidArchitecture(
                    field: "leak",
                    detail: "initial time constants \(range) must be finite and > 1 (α = sigmoid(a) > 0)")
            }
        }
    }

    /// `count` time constants spread evenly in log scale over `lower…upper`, lower first
    /// (one value: `upper`).
    public static func logUniformTimeConstants(count: Int, lower: Double, upper: Double) -> [Double] {
        guard count > 1 else { return count == 1 ? [upper] : [] }
        let logLower = Double.log(lower), logUpper = Double.log(upper)
        return (0..<count).map { j in
            Double.exp(logLower + (logUpper - logLower) * Double(j) / Double(count - 1))
        }
    }

    /// The leaks of `units` units before training: α_j for the fixed forms, the initial
    /// `sigmoid(a_j)` for ``learned(initialTimeConstants:)``.
    public func initialAlphas(units: Int) -> [Double] {
        switch self {
        case .fixed(let alpha):
            return [Double](repeating: alpha, count: units)
        case .multiScale(let maximum):
            return Self.logUniformTimeConstants(count: units, lower: 1, upper: maximum).map { 1 - 1 / $0 }
        case .learned(let range):
            return Self.logUniformTimeConstants(
                count: units, lower: range.lowerBound, upper: range.upperBound
            ).map { 1 - 1 / $0 }
        }
    }

    /// The learned parametrisation's starting values `a_j = logit(α_j) = log(α_j/(1 − α_j))`
    /// (`log(τ_j − 1)` for α_j = 1 − 1/τ_j).
    public func initialLogits(units: Int) -> [Double] {
        initialAlphas(units: units).map { Double.log($0 / (1 - $0)) }
    }
}
