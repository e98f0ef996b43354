#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything needed to rebuild a sequential network exactly, short of its parameter
/// values: the layer list, and for a multi-layer perceptron also its summary (input size,
/// hidden sizes, hidden activation spelling, output size). Stored as JSON in checkpoint
/// metadata (``jsonString`` / ``init(json:)``); parameter names and shapes follow from it
/// (``parameterLayout``).
///
/// ```swift
/// let mlp = try Architecture.multilayerPerceptron(
///     inputSize: 784, hiddenSizes: [256, 128],
///     hiddenActivation: try HiddenActivation(parsing: "prelu"), outputSize: 10)
/// // layers: dense 784→256, prelu 256, dense 256→128, prelu 128, dense 128→10
/// ```
public struct Architecture: Hashable, Sendable {
    /// The layers, input to output. The output layer is linear (logits).
    public let layers: [LayerDescription]
    /// For a perceptron built by ``multilayerPerceptron(inputSize:hiddenSizes:hiddenActivation:outputSize:)``:
    /// its hidden widths; nil for any other stack.
    public let hiddenSizes: [Int]?
    /// For a perceptron: the hidden activation; nil for any other stack.
    public let hiddenActivation: HiddenActivation?

    /// A network made of `layers`, in order.
    /// - Throws: ``NetworkError/invalidArchitecture(field:detail:)`` when the list is empty,
    ///   a width is < 1 or > ``maximumWidth``, a layer's input size differs from the previous
    ///   layer's output, or the parameter count overflows `Int`.
    public init(layers: [LayerDescription]) throws(NetworkError) {
        try Self.validate(layers)
        self.layers = layers
        hiddenSizes = nil
        hiddenActivation = nil
    }

    /// Dense → activation → … → Dense: one Dense + activation pair per hidden width, then a
    /// linear Dense output layer.
    /// - Throws: ``NetworkError/invalidArchitecture(field:detail:)`` naming `hidden sizes`
    ///   when the list is empty or a width is < 1, `input size` / `output size` when < 1, a
    ///   width above ``maximumWidth``, or `parameters` when their count overflows `Int`.
    public static func multilayerPerceptron(
        inputSize: Int, hiddenSizes: [Int], hiddenActivation: HiddenActivation, outputSize: Int
    ) throws(NetworkError) -> Architecture {
        guard inputSize >= 1 else {
            throw .invalidArchitecture(field: "input size", detail: "\(inputSize) is not allowed (≥ 1)")
        }
        guard outputSize >= 1 else {
            throw .invalidArchitecture(field: "output size", detail: "\(outputSize) is not allowed (≥ 1)")
        }
        guard !hiddenSizes.isEmpty else {
            throw .invalidArchitecture(field: "hidden sizes", detail: "the list is empty; give at least one width")
        }
        if let bad = hiddenSizes.first(where: { $0 < 1 || $0 > maximumWidth }) {
            throw .invalidArchitecture(field: "hidden sizes", detail: "width \(bad) is not allowed (1…\(maximumWidth))")
        }
        var layers: [LayerDescription] = []
        var width = inputSize
        for hidden in hiddenSizes {
            layers.append(.dense(inputs: width, outputs: hidden))
            switch hiddenActivation {
            case .fixed(let activation): layers.append(.activation(activation, width: hidden))
            case .prelu(let options): layers.append(.prelu(options, width: hidden))
            }
            width = hidden
        }
        layers.append(.dense(inputs: width, outputs: outputSize))
        try validate(layers)
        return Architecture(validated: layers, hiddenSizes: hiddenSizes, hiddenActivation: hiddenActivation)
    }

    private init(validated layers: [LayerDescription], hiddenSizes: [Int]?, hiddenActivation: HiddenActivation?) {
        self.layers = layers
        self.hiddenSizes = hiddenSizes
        self.hiddenActivation = hiddenActivation
    }

    /// The largest width of a layer: BLAS takes sizes as 32-bit integers (2³¹ − 1).
    public static let maximumWidth = Int(Int32.max)

    /// Inputs per sample.
    public var inputSize: Int { layers[0].inputSize }
    /// Outputs per sample.
    public var outputSize: Int { layers[layers.count - 1].outputSize }

    /// The parameters' names, shapes, offsets and decay flags, in buffer order:
    /// `layers.i.weight` `[out, in]` and `layers.i.bias` `[out]` for Dense layer i,
    /// `layers.i.slopes` `[width]` or `[1]` for PReLU layer i, `layers.i.weight`
    /// `[OC, C, K, K]` (OIHW) and `layers.i.bias` `[OC]` for convolution layer i;
    /// `layers.i.weight`, `.bias`, `.running_mean`, `.running_var` `[C]` and
    /// `.num_batches_tracked` `[]` for batch norm layer i (the last three not trainable).
    public var parameterLayout: ParameterLayout {
        var layout = ParameterLayout()
        for (index, layer) in layers.enumerated() {
            switch layer {
            case let .dense(inputs, outputs):
                layout.append(name: "layers.\(index).weight", shape: [outputs, inputs], weightDecay: true)
                layout.append(name: "layers.\(index).bias", shape: [outputs], weightDecay: true)
            case let .convolution(geometry):
                layout.append(name: "layers.\(index).weight", shape: geometry.weightShape, weightDecay: true)
                layout.append(name: "layers.\(index).bias", shape: [geometry.output.channels], weightDecay: true)
            case let .batchNormalization(shape):
                layout.append(name: "layers.\(index).weight", shape: [shape.channels], weightDecay: true)
                layout.append(name: "layers.\(index).bias", shape: [shape.channels], weightDecay: true)
                layout.append(name: "layers.\(index).running_mean", shape: [shape.channels], weightDecay: false, trainable: false)
                layout.append(name: "layers.\(index).running_var", shape: [shape.channels], weightDecay: false, trainable: false)
                layout.append(name: "layers.\(index).num_batches_tracked", shape: [], weightDecay: false, trainable: false)
            case .activation, .maxPooling, .averagePooling, .globalAveragePooling, .flatten, .dropout:
                break
            case let .prelu(options, width):
                layout.append(
                    name: "layers.\(index).slopes", shape: [options.shared ? 1 : width],
                    weightDecay: options.weightDecay)
            }
        }
        return layout
    }

    private static func validate(_ layers: [LayerDescription]) throws(NetworkError) {
        guard !layers.isEmpty else {
            throw .invalidArchitecture(field: "layers", detail: "the list is empty")
        }
        for (index, layer) in layers.enumerated() {
            guard layer.inputSize >= 1, layer.outputSize >= 1 else {
                throw .invalidArchitecture(
                    field: "layers.\(index)", detail: "sizes must be ≥ 1, got \(layer.inputSize)→\(layer.outputSize)")
            }
            guard layer.inputSize <= maximumWidth, layer.outputSize <= maximumWidth else {
                throw .invalidArchitecture(
                    field: "layers.\(index)",
                    detail: "sizes must be ≤ \(maximumWidth), got \(layer.inputSize)→\(layer.outputSize)")
            }
            if index > 0, layer.inputSize != layers[index - 1].outputSize {
                throw .invalidArchitecture(
                    field: "layers.\(index)",
                    detail: "takes \(layer.inputSize) inputs but layers.\(index - 1) gives \(layers[index - 1].outputSize)")
            }
            if index > 0, let shape = layer.inputShape, let previous = layers[index - 1].outputShape, shape != previous {
                throw .invalidArchitecture(
                    field: "layers.\(index)", detail: "takes \(shape) images but layers.\(index - 1) gives \(previous)")
            }
        }
        guard checkedParameterCount(layers) != nil else {
            throw .invalidArchitecture(
                field: "parameters", detail: "the layer sizes give more parameters than a 64-bit count holds")
        }
    }

    /// Σ over the layers of their parameters (`out·in + out` for Dense, the slopes for
    /// PReLU), or nil when the sum overflows `Int`; so ``parameterLayout`` never does.
    private static func checkedParameterCount(_ layers: [LayerDescription]) -> Int? {
        var total = 0
        for layer in layers {
            let count: Int
            switch layer {
            case let .dense(inputs, outputs):
                let (weights, overflow) = inputs.multipliedReportingOverflow(by: outputs)
                guard !overflow else { return nil }
                let (sum, overflowBias) = weights.addingReportingOverflow(outputs)
                guard !overflowBias else { return nil }
                count = sum
            case let .convolution(geometry):
                count = geometry.weightCount + geometry.output.channels
            case let .batchNormalization(shape):
                count = 4 * shape.channels + 1
            case .activation, .maxPooling, .averagePooling, .globalAveragePooling, .flatten, .dropout:
                count = 0
            case let .prelu(options, width):
                count = options.shared ? 1 : width
            }
            let (sum, overflow) = total.addingReportingOverflow(count)
            guard !overflow else { return nil }
            total = sum
        }
        return total
    }
}

extension Architecture: Codable {
    private enum CodingKeys: String, CodingKey {
        case layers
        case inputSize = "input_size"
        case hiddenSizes = "hidden_sizes"
        case hiddenActivation = "hidden_activation"
        case outputSize = "output_size"
    }

    /// Decodes and validates; a perceptron summary must agree with its layers.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let layers = try container.decode([LayerDescription].self, forKey: .layers)
        let hidden = try container.decodeIfPresent([Int].self, forKey: .hiddenSizes)
        let activationText = try container.decodeIfPresent(String.self, forKey: .hiddenActivation)
        guard let hidden, let activationText else {
            self = try Architecture(layers: layers)
            return
        }
        let rebuilt = try Architecture.multilayerPerceptron(
            inputSize: layers.first?.inputSize ?? 0, hiddenSizes: hidden,
            hiddenActivation: try HiddenActivation(parsing: activationText),
            outputSize: layers.last?.outputSize ?? 0)
        guard rebuilt.layers == layers else {
            throw NetworkError.invalidArchitecture(
                field: "layers", detail: "do not match hidden_sizes and hidden_activation")
        }
        self = rebuilt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(layers, forKey: .layers)
        try container.encode(inputSize, forKey: .inputSize)
        try container.encode(outputSize, forKey: .outputSize)
        try container.encodeIfPresent(hiddenSizes, forKey: .hiddenSizes)
        try container.encodeIfPresent(hiddenActivation?.description, forKey: .hiddenActivation)
    }

    /// The architecture as one line of JSON with sorted keys (stable bytes for metadata).
    public var jsonString: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain integers, strings and finite doubles cannot fail.
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    /// Reads ``jsonString``'s form.
    /// - Throws: ``NetworkError/invalidArchitecture(field:detail:)`` naming `json` for text
    ///   that is not a valid architecture, with the reason.
    public init(json: String) throws(NetworkError) {
        do {
            self = try JSONDecoder().decode(Architecture.self, from: Data(json.utf8))
        } catch let error as NetworkError {
            throw error
        } catch {
            throw .invalidArchitecture(field: "json", detail: Self.oneLine(error))
        }
    }

    private static func oneLine(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing key '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "not valid JSON" : "bad value at '\(path)'"
        default:
            return "\(error)".split(separator: "\n").first.map(String.init) ?? "unreadable"
        }
    }
}
