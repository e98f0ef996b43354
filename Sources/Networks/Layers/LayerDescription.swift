import Activations

/// One layer of a sequential network, as a checkpoint's metadata records it.
///
/// JSON form (one object per layer):
/// `{"type":"dense","inputs":784,"outputs":256}`,
/// `{"type":"activation","activation":"relu","width":256}`,
/// `{"type":"prelu","width":256,"shared":false,"init":0.25,"weight_decay":false}`.
public enum LayerDescription: Hashable, Sendable {
    /// `y = x·Wᵀ + b` with W `[outputs, inputs]` and b `[outputs]`
    /// (parameters `weight`, `bias`).
    case dense(inputs: Int, outputs: Int)
    /// `y = f(x)` elementwise over `width` units, no parameters.
    case activation(Activation, width: Int)
    /// PReLU over `width` units (parameter `slopes`, shape `[width]` or `[1]`).
    case prelu(PReLUOptions, width: Int)

    /// The number of inputs per sample.
    public var inputSize: Int {
        switch self {
        case .dense(let inputs, _): return inputs
        case .activation(_, let width), .prelu(_, let width): return width
        }
    }

    /// The number of outputs per sample.
    public var outputSize: Int {
        switch self {
        case .dense(_, let outputs): return outputs
        case .activation(_, let width), .prelu(_, let width): return width
        }
    }
}

extension LayerDescription: Codable {
    private enum Kind: String, Codable {
        case dense, activation, prelu
    }

    private enum CodingKeys: String, CodingKey {
        case type, inputs, outputs, activation, width, shared
        case initialSlope = "init"
        case weightDecay = "weight_decay"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .type) {
        case .dense:
            self = .dense(
                inputs: try container.decode(Int.self, forKey: .inputs),
                outputs: try container.decode(Int.self, forKey: .outputs))
        case .activation:
            let text = try container.decode(String.self, forKey: .activation)
            self = .activation(
                try Activation(parsing: text), width: try container.decode(Int.self, forKey: .width))
        case .prelu:
            self = .prelu(
                try PReLUOptions(
                    shared: try container.decode(Bool.self, forKey: .shared),
                    initialSlope: try container.decode(Double.self, forKey: .initialSlope),
                    weightDecay: try container.decode(Bool.self, forKey: .weightDecay)),
                width: try container.decode(Int.self, forKey: .width))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .dense(inputs, outputs):
            try container.encode(Kind.dense, forKey: .type)
            try container.encode(inputs, forKey: .inputs)
            try container.encode(outputs, forKey: .outputs)
        case let .activation(activation, width):
            try container.encode(Kind.activation, forKey: .type)
            try container.encode(activation.description, forKey: .activation)
            try container.encode(width, forKey: .width)
        case let .prelu(options, width):
            try container.encode(Kind.prelu, forKey: .type)
            try container.encode(width, forKey: .width)
            try container.encode(options.shared, forKey: .shared)
            try container.encode(options.initialSlope, forKey: .initialSlope)
            try container.encode(options.weightDecay, forKey: .weightDecay)
        }
    }
}
