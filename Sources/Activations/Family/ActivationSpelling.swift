/// The text form of an activation, the one spelling the CLI, checkpoints and reports use:
///
/// | text | activation |
/// |---|---|
/// | `identity` | ``Identity`` |
/// | `relu`, `relu:derivative_at_zero=D` | ``ReLU`` (D in [0, 1], default 0) |
/// | `leaky:α`, `leaky` (α = 0.01) | ``LeakyReLU`` (e.g. `leaky:0.01`, `leaky:-1`) |
/// | `abs` | ``Absolute`` |
/// | `softplus`, `softplus:beta=B,threshold=T` | ``Softplus`` (either key may be left out) |
/// | `sigmoid` | ``Sigmoid`` |
/// | `tanh` | ``Tanh`` |
/// | `gelu`, `gelu:tanh` | ``GELU`` (erf form; PyTorch's tanh approximation) |
/// | `silu` | ``SiLU`` |
/// | `elu`, `elu:alpha=A` | ``ELU`` (A finite, > 0; default 1) |
/// | `selu` | ``SELU`` |
/// | `mish` | ``Mish`` |
extension Activation: LosslessStringConvertible, CustomStringConvertible {
    /// A one-line list of the accepted spellings, for error messages and `--help`.
    public static let spellings =
        "identity, relu, leaky:α, abs, softplus[:beta=B,threshold=T], sigmoid, tanh, gelu, gelu:tanh, silu, elu[:alpha=A], selu, mish"

    /// Parses the text form.
    /// - Throws: ``ActivationError/unknownActivation(_:)`` for an unknown name,
    ///   ``ActivationError/malformedParameters(activation:text:expected:)`` for parameters
    ///   that cannot be read, ``ActivationError/invalidParameter(activation:parameter:value:allowed:)``
    ///   for values out of range.
    public init(parsing text: String) throws(ActivationError) {
        let trimmed = text.trimmingWhitespace
        let name: Substring, parameters: Substring?
        if let colon = trimmed.firstIndex(of: ":") {
            name = trimmed[..<colon]
            parameters = trimmed[trimmed.index(after: colon)...]
        } else {
            name = trimmed[...]
            parameters = nil
        }
        switch name.lowercased() {
        case "identity", "linear":
            try Self.expectNoParameters(parameters, for: "identity")
            self = .identity
        case "abs":
            try Self.expectNoParameters(parameters, for: "abs")
            self = .abs
        case "sigmoid":
            try Self.expectNoParameters(parameters, for: "sigmoid")
            self = .sigmoid
        case "tanh":
            try Self.expectNoParameters(parameters, for: "tanh")
            self = .tanh
        case "relu":
            let values = try Self.keyedNumbers(
                parameters, for: "relu", keys: ["derivative_at_zero"],
                expected: "relu or relu:derivative_at_zero=D with D in [0, 1]")
            self = .relu(try values["derivative_at_zero"].map { v throws(ActivationError) in
                try ReLU(derivativeAtZero: v)
            } ?? ReLU())
        case "leaky", "leaky_relu", "leakyrelu":
            guard let parameters else {
                self = .leakyReLU(LeakyReLU())
                return
            }
            let expected = "leaky:α with α a number, e.g. leaky:0.01"
            let body = parameters.hasPrefix("alpha=") ? parameters.dropFirst(6) : parameters
            guard let slope = Double(String(body)) else {
                throw .malformedParameters(
                    activation: "leaky", text: String(parameters), expected: expected)
            }
            self = .leakyReLU(try LeakyReLU(negativeSlope: slope))
        case "softplus":
            let values = try Self.keyedNumbers(
                parameters, for: "softplus", keys: ["beta", "threshold"],
                expected: "softplus or softplus:beta=B,threshold=T")
            self = .softplus(
                try Softplus(beta: values["beta"] ?? 1, threshold: values["threshold"] ?? 20))
        case "gelu":
            switch parameters {
            case nil: self = .gelu
            case "tanh", "approximate=tanh": self = .gelu(GELU(approximation: .tanh))
            case "none", "approximate=none": self = .gelu
            case let text?:
                throw .malformedParameters(
                    activation: "gelu", text: String(text), expected: "gelu or gelu:tanh")
            }
        case "silu":
            try Self.expectNoParameters(parameters, for: "silu")
            self = .silu
        case "elu":
            let values = try Self.keyedNumbers(
                parameters, for: "elu", keys: ["alpha"], expected: "elu or elu:alpha=A with A > 0")
            self = .elu(try values["alpha"].map { v throws(ActivationError) in try ELU(alpha: v) } ?? ELU())
        case "selu":
            try Self.expectNoParameters(parameters, for: "selu")
            self = .selu
        case "mish":
            try Self.expectNoParameters(parameters, for: "mish")
            self = .mish
        default:
            throw .unknownActivation(String(name))
        }
    }

    /// Failable form of ``init(parsing:)``, for `LosslessStringConvertible`.
    public init?(_ description: String) {
        guard let parsed = try? Activation(parsing: description) else { return nil }
        self = parsed
    }

    /// The canonical text form; parsing it gives back an equal activation.
    public var description: String {
        switch self {
        case .identity: return "identity"
        case .relu(let f):
            return f.derivativeAtZero == 0 ? "relu" : "relu:derivative_at_zero=\(f.derivativeAtZero)"
        case .leakyReLU(let f): return "leaky:\(f.negativeSlope)"
        case .abs: return "abs"
        case .softplus(let f):
            var options: [String] = []
            if f.beta != 1 { options.append("beta=\(f.beta)") }
            if f.threshold != 20 { options.append("threshold=\(f.threshold)") }
            return options.isEmpty ? "softplus" : "softplus:" + options.joined(separator: ",")
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .gelu(let f): return f.approximation == .tanh ? "gelu:tanh" : "gelu"
        case .silu: return "silu"
        case .elu(let f): return f.alpha == 1 ? "elu" : "elu:alpha=\(f.alpha)"
        case .selu: return "selu"
        case .mish: return "mish"
        }
    }

    private static func expectNoParameters(_ parameters: Substring?, for name: String)
        throws(ActivationError)
    {
        if let parameters {
            throw .malformedParameters(
                activation: name, text: String(parameters), expected: "\(name) takes no parameters")
        }
    }

    /// Reads `key=number,key=number` with keys from `keys`, each at most once.
    private static func keyedNumbers(
        _ parameters: Substring?, for name: String, keys: Set<String>, expected: String
    ) throws(ActivationError) -> [String: Double] {
        guard let parameters else { return [:] }
        var values: [String: Double] = [:]
        for item in parameters.split(separator: ",", omittingEmptySubsequences: false) {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, keys.contains(String(pair[0])), values[String(pair[0])] == nil,
                let number = Double(String(pair[1]))
            else {
                throw .malformedParameters(activation: name, text: String(parameters), expected: expected)
            }
            values[String(pair[0])] = number
        }
        return values
    }
}

extension String {
    fileprivate var trimmingWhitespace: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        let last = lastIndex(where: { !isSpace($0) })!
        return self[first...last]
    }
}
