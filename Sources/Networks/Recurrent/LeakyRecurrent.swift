import Activations

/// A leaky recurrent layer's shape and rule (the description; ``LeakyRecurrentLayer`` runs it):
///
/// ```
/// h(t) = α ⊙ h(t−1) + (1 − α) ⊙ σ(W·x(t) + U·h(t−1) + b),   h(−1) = 0
/// ```
///
/// x(t) has ``inputSize`` features, h(t) has ``units``; W is `[units, inputSize]`, U is
/// `[units, units]` (PyTorch's `weight_ih`, `weight_hh` layouts), b is `[units]`, σ any member
/// of the family (ReLU by default) and α per unit as ``leak`` says. With α = 0 it is the plain
/// (Elman) recurrent layer.
public struct LeakyRecurrent: Hashable, Sendable {
    /// Features per step, ≥ 1.
    public let inputSize: Int
    /// Hidden units, ≥ 1.
    public let units: Int
    /// σ.
    public let activation: Activation
    /// How α is chosen.
    public let leak: Leak

    /// - Throws: ``NetworkError/invalidArchitecture(field:detail:)`` when a size is < 1 or
    ///   the leak is invalid (see ``Leak/validate()``).
    public init(
        inputSize: Int, units: Int, activation: Activation = .relu, leak: Leak
    ) throws(NetworkError) {
        guard inputSize >= 1 else {
            throw .invalidArchitecture(field: "input size", detail: "\(inputSize) is not ≥ 1")
        }
        guard units >= 1 else {
            throw .invalidArchitecture(field: "units", detail: "\(units) is not ≥ 1")
        }
        try leak.validate()
        self.inputSize = inputSize
        self.units = units
        self.activation = activation
        self.leak = leak
    }

    /// Appends the layer's tensors to `layout` as `PREFIX.weight_ih` `[units, inputSize]`,
    /// `PREFIX.weight_hh` `[units, units]`, `PREFIX.bias` `[units]` and, for learned leaks,
    /// `PREFIX.leak_logit` `[units]` (no weight decay), and returns their places.
    public func appendParameters(to layout: inout ParameterLayout, prefix: String) -> Places {
        let inputWeight = layout.append(name: prefix + ".weight_ih", shape: [units, inputSize], weightDecay: true)
        let recurrentWeight = layout.append(name: prefix + ".weight_hh", shape: [units, units], weightDecay: true)
        let bias = layout.append(name: prefix + ".bias", shape: [units], weightDecay: false)
        let leakLogit = leak.isLearned
            ? layout.append(name: prefix + ".leak_logit", shape: [units], weightDecay: false) : nil
        return Places(inputWeight: inputWeight, recurrentWeight: recurrentWeight, bias: bias, leakLogit: leakLogit)
    }

    /// Where a layer's tensors live in a flat parameter buffer.
    public struct Places: Hashable, Sendable {
        /// W, `[units, inputSize]`.
        public let inputWeight: ParameterInfo
        /// U, `[units, units]`.
        public let recurrentWeight: ParameterInfo
        /// b, `[units]`.
        public let bias: ParameterInfo
        /// a with α = sigmoid(a), `[units]`; nil unless the leak is learned.
        public let leakLogit: ParameterInfo?
    }
}
