import Activations

/// One layer of a sequential network, as a checkpoint's metadata records it.
///
/// JSON form (one object per layer):
/// `{"type":"dense","inputs":784,"outputs":256}`,
/// `{"type":"activation","activation":"relu","width":256}`,
/// `{"type":"prelu","width":256,"shared":false,"init":0.25,"weight_decay":false}`,
/// `{"type":"conv","input":[1,28,28],"filters":32,"kernel":5,"stride":1,"padding":"valid"}`,
/// `{"type":"maxpool","input":[32,24,24],"kernel":2,"stride":2}` (and `avgpool`),
/// `{"type":"gap","input":[64,4,4]}`, `{"type":"flatten","input":[32,4,4]}`.
///
/// Image layers take and give NCHW samples (``ImageShape``), stored flat: row n of a
/// batch is sample n's C·H·W values.
public enum LayerDescription: Hashable, Sendable {
    /// `y = x·Wᵀ + b` with W `[outputs, inputs]` and b `[outputs]`
    /// (parameters `weight`, `bias`).
    case dense(inputs: Int, outputs: Int)
    /// `y = f(x)` elementwise over `width` units, no parameters.
    case activation(Activation, width: Int)
    /// PReLU over `width` units (parameter `slopes`, shape `[width]` or `[1]`).
    case prelu(PReLUOptions, width: Int)
    /// A 2-D convolution (parameters `weight` OIHW `[OC, C, K, K]`, `bias` `[OC]`).
    case convolution(Convolution2D)
    /// Max pooling, no parameters.
    case maxPooling(Pooling2D)
    /// Average pooling, no parameters.
    case averagePooling(Pooling2D)
    /// The mean of each channel: C×H×W → C values.
    case globalAveragePooling(ImageShape)
    /// C×H×W → C·H·W values; the memory is unchanged (NCHW is already flat).
    case flatten(ImageShape)

    /// The number of inputs per sample.
    public var inputSize: Int {
        switch self {
        case .dense(let inputs, _): return inputs
        case .activation(_, let width), .prelu(_, let width): return width
        case .convolution, .maxPooling, .averagePooling, .globalAveragePooling, .flatten: return inputShape!.count
        }
    }

    /// The number of outputs per sample.
    public var outputSize: Int {
        switch self {
        case .dense(_, let outputs): return outputs
        case .activation(_, let width), .prelu(_, let width): return width
        case .globalAveragePooling(let shape): return shape.channels
        case .flatten(let shape): return shape.count
        case .convolution, .maxPooling, .averagePooling: return outputShape!.count
        }
    }

    /// The image an image layer takes; nil for the flat layers.
    public var inputShape: ImageShape? {
        switch self {
        case .convolution(let geometry): return geometry.input
        case .maxPooling(let geometry), .averagePooling(let geometry): return geometry.input
        case .globalAveragePooling(let shape), .flatten(let shape): return shape
        case .dense, .activation, .prelu: return nil
        }
    }

    /// The image a convolution or pooling layer gives; nil for layers whose output is flat.
    public var outputShape: ImageShape? {
        switch self {
        case .convolution(let geometry): return geometry.output
        case .maxPooling(let geometry), .averagePooling(let geometry): return geometry.output
        case .dense, .activation, .prelu, .globalAveragePooling, .flatten: return nil
        }
    }

    /// Whether the layer maps each value on its own (same width in and out), so its
    /// backward pass may write the input gradient over the output gradient.
    var isElementwise: Bool {
        switch self {
        case .activation, .prelu, .flatten: return true
        case .dense, .convolution, .maxPooling, .averagePooling, .globalAveragePooling: return false
        }
    }
}

extension LayerDescription: Codable {
    private enum Kind: String, Codable {
        case dense, activation, prelu, conv, maxpool, avgpool, gap, flatten
    }

    private enum CodingKeys: String, CodingKey {
        case type, inputs, outputs, activation, width, shared, input, filters, kernel, stride, padding
        case initialSlope = "init"
        case weightDecay = "weight_decay"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(Kind.self, forKey: .type)
        switch kind {
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
        case .conv:
            self = .convolution(
                try Convolution2D(
                    input: try Self.image(container), outputChannels: try container.decode(Int.self, forKey: .filters),
                    kernelSize: try container.decode(Int.self, forKey: .kernel),
                    stride: try container.decode(Int.self, forKey: .stride),
                    padding: try container.decode(ConvolutionPadding.self, forKey: .padding)))
        case .maxpool, .avgpool:
            let geometry = try Pooling2D(
                input: try Self.image(container), kernelSize: try container.decode(Int.self, forKey: .kernel),
                stride: try container.decode(Int.self, forKey: .stride))
            self = kind == .maxpool ? .maxPooling(geometry) : .averagePooling(geometry)
        case .gap:
            self = .globalAveragePooling(try Self.image(container))
        case .flatten:
            self = .flatten(try Self.image(container))
        }
    }

    private static func image(_ container: KeyedDecodingContainer<CodingKeys>) throws -> ImageShape {
        let sizes = try container.decode([Int].self, forKey: .input)
        guard sizes.count == 3 else {
            throw NetworkError.invalidArchitecture(field: "input", detail: "an image shape is [C, H, W], got \(sizes)")
        }
        return try ImageShape(channels: sizes[0], height: sizes[1], width: sizes[2])
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
        case let .convolution(geometry):
            try container.encode(Kind.conv, forKey: .type)
            try Self.encode(geometry.input, into: &container)
            try container.encode(geometry.output.channels, forKey: .filters)
            try container.encode(geometry.kernelSize, forKey: .kernel)
            try container.encode(geometry.stride, forKey: .stride)
            try container.encode(geometry.padding, forKey: .padding)
        case let .maxPooling(geometry), let .averagePooling(geometry):
            if case .maxPooling = self {
                try container.encode(Kind.maxpool, forKey: .type)
            } else {
                try container.encode(Kind.avgpool, forKey: .type)
            }
            try Self.encode(geometry.input, into: &container)
            try container.encode(geometry.kernelSize, forKey: .kernel)
            try container.encode(geometry.stride, forKey: .stride)
        case let .globalAveragePooling(shape):
            try container.encode(Kind.gap, forKey: .type)
            try Self.encode(shape, into: &container)
        case let .flatten(shape):
            try container.encode(Kind.flatten, forKey: .type)
            try Self.encode(shape, into: &container)
        }
    }

    private static func encode(_ shape: ImageShape, into container: inout KeyedEncodingContainer<CodingKeys>) throws {
        try container.encode([shape.channels, shape.height, shape.width], forKey: .input)
    }
}
