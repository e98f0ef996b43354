import Activations

/// One layer of a sequential network, as a checkpoint's metadata records it.
///
/// JSON form (one object per layer):
/// `{"type":"dense","inputs":784,"outputs":256}`,
/// `{"type":"activation","activation":"relu","width":256}`,
/// `{"type":"prelu","width":256,"shared":false,"init":0.25,"weight_decay":false}`,
/// `{"type":"conv","input":[1,28,28],"filters":32,"kernel":5,"stride":1,"padding":"valid"}`,
/// `{"type":"maxpool","input":[32,24,24],"kernel":2,"stride":2}` (and `avgpool`),
/// `{"type":"gap","input":[64,4,4]}`, `{"type":"flatten","input":[32,4,4]}`,
/// `{"type":"batchnorm","input":[32,24,24]}` (or `{"type":"batchnorm","width":256}`),
/// `{"type":"dropout","p":0.5,"width":256}`.
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
    /// Batch normalisation per channel (``BatchNormalization``): parameters `weight` and
    /// `bias` `[C]`, statistics `running_mean`, `running_var` `[C]` and
    /// `num_batches_tracked` `[]` (PyTorch's buffers; not trained).
    case batchNormalization(NormalizedShape)
    /// Inverted dropout of probability p over `width` values (``Dropout``); the identity
    /// in inference.
    case dropout(probability: Double, width: Int)

    /// The number of inputs per sample.
    public var inputSize: Int {
        switch self {
        case .dense(let inputs, _): return inputs
        case .activation(_, let width), .prelu(_, let width): return width
        case .convolution, .maxPooling, .averagePooling, .globalAveragePooling, .flatten: return inputShape!.count
        case .batchNormalization(let shape): return shape.count
        case .dropout(_, let width): return width
        }
    }

    /// The number of outputs per sample.
    public var outputSize: Int {
        switch self {
        case .dense(_, let outputs): return outputs
        case .activation(_, let width), .prelu(_, let width): return width
        case .globalAveragePooling(let shape): return shape.channels
        case .flatten(let shape): return shape.count
        case .batchNormalization(let shape): return shape.count
        case .dropout(_, let width): return width
        case .convolution, .maxPooling, .averagePooling: return outputShape!.count
        }
    }

    /// The image an image layer takes; nil for the flat layers.
    public var inputShape: ImageShape? {
        switch self {
        case .convolution(let geometry): return geometry.input
        case .maxPooling(let geometry), .averagePooling(let geometry): return geometry.input
        case .globalAveragePooling(let shape), .flatten(let shape): return shape
        case .batchNormalization(let shape): return shape.image
        case .dense, .activation, .prelu, .dropout: return nil
        }
    }

    /// The image a convolution or pooling layer gives; nil for layers whose output is flat.
    public var outputShape: ImageShape? {
        switch self {
        case .convolution(let geometry): return geometry.output
        case .maxPooling(let geometry), .averagePooling(let geometry): return geometry.output
        case .batchNormalization(let shape): return shape.image
        case .dense, .activation, .prelu, .globalAveragePooling, .flatten, .dropout: return nil
        }
    }

    /// Whether the layer is an activation or PReLU layer.
    var isActivation: Bool {
        switch self {
        case .activation, .prelu: return true
        default: return false
        }
    }

    /// Whether the layer is a dense or convolution layer.
    var hasWeights: Bool {
        switch self {
        case .dense, .convolution: return true
        default: return false
        }
    }

    /// Whether the layer's backward pass may write the input gradient over the output
    /// gradient (same width in and out, each channel's gradient read before it is written).
    var isElementwise: Bool {
        switch self {
        case .activation, .prelu, .flatten, .batchNormalization, .dropout: return true
        case .dense, .convolution, .maxPooling, .averagePooling, .globalAveragePooling: return false
        }
    }
}

extension LayerDescription: Codable {
    private enum Kind: String, Codable {
        case dense, activation, prelu, conv, maxpool, avgpool, gap, flatten, batchnorm, dropout
    }

    private enum CodingKeys: String, CodingKey {
        case type, inputs, outputs, activation, width, shared, input, filters, kernel, stride, padding
        case probability = "p"
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
        case .batchnorm:
            if container.contains(.input) {
                self = .batchNormalization(NormalizedShape(image: try Self.image(container)))
            } else {
                self = .batchNormalization(try NormalizedShape(features: try container.decode(Int.self, forKey: .width)))
            }
        case .dropout:
            let probability = try container.decode(Double.self, forKey: .probability)
            try Dropout.validate(probability: probability)
            self = .dropout(probability: probability, width: try container.decode(Int.self, forKey: .width))
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
        case let .batchNormalization(shape):
            try container.encode(Kind.batchnorm, forKey: .type)
            if let image = shape.image {
                try Self.encode(image, into: &container)
            } else {
                try container.encode(shape.channels, forKey: .width)
            }
        case let .dropout(probability, width):
            try container.encode(Kind.dropout, forKey: .type)
            try container.encode(probability, forKey: .probability)
            try container.encode(width, forKey: .width)
        }
    }

    private static func encode(_ shape: ImageShape, into container: inout KeyedEncodingContainer<CodingKeys>) throws {
        try container.encode([shape.channels, shape.height, shape.width], forKey: .input)
    }
}

/// What batch normalisation normalises: C channels of S values each, either an image
/// (`BatchNorm2d`: C×H×W, S = H·W) or flat features (`BatchNorm1d`: C features, S = 1).
public struct NormalizedShape: Hashable, Sendable {
    /// The image, or nil for flat features.
    public let image: ImageShape?
    /// Channels (features when flat).
    public let channels: Int
    /// Values per channel per sample.
    public let spatial: Int

    /// Per channel of an image.
    public init(image: ImageShape) {
        (self.image, channels, spatial) = (image, image.channels, image.planeCount)
    }

    /// Per feature of flat values.
    /// - Throws: ``NetworkError/invalidArchitecture(field:detail:)`` naming `batchnorm`
    ///   unless 1 ≤ `features` ≤ 2³¹ − 1.
    public init(features: Int) throws(NetworkError) {
        guard (1...Int(Int32.max)).contains(features) else {
            throw .invalidArchitecture(field: "batchnorm", detail: "width \(features) is not allowed (1…\(Int32.max))")
        }
        (image, channels, spatial) = (nil, features, 1)
    }

    /// Values per sample.
    public var count: Int { channels * spatial }
}
