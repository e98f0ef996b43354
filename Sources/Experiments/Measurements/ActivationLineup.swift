import Networks

/// The hidden activations the experiments compare, by their text form
/// (``HiddenActivation/init(parsing:)``).
enum ActivationLineup {
    /// ReLU, leaky ReLU (α = 0.01), PReLU (learned, from 0.25), softplus, sigmoid, tanh.
    static let all = ["relu", "leaky:0.01", "prelu", "softplus", "sigmoid", "tanh"]
    /// The rectifiers whose dead units the dead-unit experiment counts.
    static let rectifiers = ["relu", "leaky:0.01", "prelu"]

    /// Parses `spellings`.
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` naming `activations`.
    static func parse(_ spellings: [String]) throws(ExperimentError) -> [HiddenActivation] {
        var parsed: [HiddenActivation] = []
        for spelling in spellings {
            do {
                parsed.append(try HiddenActivation(parsing: spelling))
            } catch {
                throw .invalidOption(flag: "activations", reason: error.description)
            }
        }
        return parsed
    }
}
