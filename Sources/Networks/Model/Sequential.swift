import Activations
import Runtime

/// A feed-forward network: layers applied in order, parameters in one flat buffer
/// (``parameters``), buffers for the passes allocated once and reused.
///
/// ```swift
/// var generator = SeededGenerator(seed: 0)
/// let model = try Sequential<Float>(
///     architecture: try .multilayerPerceptron(
///         inputSize: 784, hiddenSizes: [256, 128], hiddenActivation: .fixed(.relu), outputSize: 10),
///     initialization: Initialization(), generator: &generator)
/// let logits = try model.predict(images)          // (n, 10)
/// ```
///
/// A model is a reference type and not thread-safe: one pass at a time. ``backward(outputGradient:)``
/// uses what the latest ``forward(_:)`` kept.
public final class Sequential<Scalar: ActivationScalar> {
    /// The layer list this model was built from.
    public let architecture: Architecture
    /// Parameters and gradients, flat, with their names and shapes.
    public let parameters: ParameterStore<Scalar>
    let layers: [BoundLayer<Scalar>]
    let workspace: Workspace<Scalar>
    /// The input and batch size of the latest forward pass, for the backward pass.
    var lastInput: MatrixBuffer<Scalar>?
    /// Whether the latest forward pass was a training pass (batch statistics, dropout).
    var lastPassTrained = false

    /// A model with zero weights and biases and PReLU slopes at their initial value.
    public init(architecture: Architecture) {
        self.architecture = architecture
        parameters = ParameterStore(layout: architecture.parameterLayout)
        var bound: [BoundLayer<Scalar>] = []
        var infos = parameters.layout.parameters.makeIterator()
        for layer in architecture.layers {
            switch layer {
            case let .dense(inputs, outputs):
                let weight = infos.next()!, bias = infos.next()!
                bound.append(.dense(
                    weight: MatrixBuffer(parameters.values(of: weight).baseAddress!, rows: outputs, columns: inputs),
                    weightGradient: MatrixBuffer(parameters.gradients(of: weight).baseAddress!, rows: outputs, columns: inputs),
                    bias: parameters.values(of: bias).baseAddress!,
                    biasGradient: parameters.gradients(of: bias).baseAddress!))
            case let .convolution(geometry):
                let weight = infos.next()!, bias = infos.next()!
                bound.append(.convolution(
                    geometry, weight: parameters.values(of: weight).baseAddress!,
                    weightGradient: parameters.gradients(of: weight).baseAddress!,
                    bias: parameters.values(of: bias).baseAddress!,
                    biasGradient: parameters.gradients(of: bias).baseAddress!))
            case let .maxPooling(geometry):
                bound.append(.maxPooling(geometry))
            case let .averagePooling(geometry):
                bound.append(.averagePooling(geometry))
            case let .globalAveragePooling(shape):
                bound.append(.globalAveragePooling(shape))
            case .flatten:
                bound.append(.flatten)
            case let .batchNormalization(shape):
                let views = (0..<5).map { _ in infos.next()! }
                bound.append(.batchNormalization(
                    shape, weight: parameters.values(of: views[0]).baseAddress!,
                    weightGradient: parameters.gradients(of: views[0]).baseAddress!,
                    bias: parameters.values(of: views[1]).baseAddress!,
                    biasGradient: parameters.gradients(of: views[1]).baseAddress!,
                    runningMean: parameters.values(of: views[2]).baseAddress!,
                    runningVariance: parameters.values(of: views[3]).baseAddress!,
                    batchesTracked: parameters.values(of: views[4]).baseAddress!,
                    saved: AlignedStorage(count: 2 * shape.channels)))
            case let .dropout(probability, _):
                bound.append(.dropout(probability: probability))
            case let .activation(activation, _):
                bound.append(.activation(activation))
            case .prelu:
                let slopes = infos.next()!
                bound.append(.prelu(
                    slopes: parameters.values(of: slopes).baseAddress!,
                    slopeGradient: parameters.gradients(of: slopes).baseAddress!, count: slopes.count))
            }
        }
        layers = bound
        workspace = Workspace(plan: WorkspacePlan(architecture.layers))
        resetFixedValues()
    }

    /// A model initialised by `initialization`, drawing from `generator`.
    public convenience init(
        architecture: Architecture, initialization: Initialization, generator: inout SeededGenerator
    ) {
        self.init(architecture: architecture)
        initialize(initialization, generator: &generator)
    }

    /// The same network in another precision: same architecture, every parameter rounded
    /// to nearest (Double → Float) or widened exactly (Float → Double).
    public convenience init<Other: ActivationScalar>(converting other: Sequential<Other>) {
        self.init(architecture: other.architecture)
        for index in 0..<parameters.count { parameters.values[index] = Scalar(other.parameters.values[index]) }
    }

    /// An independent copy with the same parameter values.
    public func copy() -> Sequential<Scalar> {
        Sequential(converting: self)
    }

    /// Inputs per sample.
    public var inputSize: Int { architecture.inputSize }
    /// Outputs per sample.
    public var outputSize: Int { architecture.outputSize }

    /// Redraws every Dense and convolution weight (see ``Initialization``; a convolution's
    /// fan-in is C·K·K and its fan-out OC·K·K, as PyTorch's), zeroes the biases, sets
    /// PReLU slopes to their initial value and batch norm to γ = 1, β = 0 with fresh
    /// statistics (mean 0, variance 1, no batches). Layers are drawn in order from `generator`.
    public func initialize(_ initialization: Initialization, generator: inout SeededGenerator) {
        let descriptions = architecture.layers
        for (index, layer) in layers.enumerated() {
            let weights: UnsafeMutableBufferPointer<Scalar>, bias: UnsafeMutableBufferPointer<Scalar>
            let fanIn: Int, fanOut: Int
            switch layer {
            case let .dense(weight, _, biasValues, _):
                (weights, fanIn, fanOut) = (weight.buffer, weight.columns, weight.rows)
                bias = UnsafeMutableBufferPointer(start: biasValues, count: weight.rows)
            case let .convolution(geometry, weight, _, biasValues, _):
                let area = geometry.kernelSize * geometry.kernelSize
                (fanIn, fanOut) = (geometry.patchCount, geometry.output.channels * area)
                weights = UnsafeMutableBufferPointer(start: weight, count: geometry.weightCount)
                bias = UnsafeMutableBufferPointer(start: biasValues, count: geometry.output.channels)
            default:
                continue
            }
            // The activation that follows, past a batch norm or dropout in between.
            var slope = 0.0
            search: for next in descriptions.indices.dropFirst(index + 1) {
                switch descriptions[next] {
                case .activation(let f, _): slope = HiddenActivation.fixed(f).negativeSlopeForInitialization
                case .prelu(let options, _): slope = options.initialSlope
                case .batchNormalization, .dropout: continue search
                default: break
                }
                break search
            }
            initialization.fill(weights, fanIn: fanIn, fanOut: fanOut, negativeSlope: slope, generator: &generator)
            bias.update(repeating: 0)
        }
        resetFixedValues()
        parameters.version &+= 1
    }

    /// PReLU slopes to their initial value; batch norm to γ = 1, β = 0, mean 0, variance 1.
    private func resetFixedValues() {
        for (layer, description) in zip(layers, architecture.layers) {
            if case let .prelu(slopes, _, count) = layer, case let .prelu(options, _) = description {
                slopes.update(repeating: Scalar(options.initialSlope), count: count)
            }
            if case let .batchNormalization(shape, weight, _, bias, _, mean, variance, batches, _) = layer {
                weight.update(repeating: 1, count: shape.channels)
                bias.update(repeating: 0, count: shape.channels)
                mean.update(repeating: 0, count: shape.channels)
                variance.update(repeating: 1, count: shape.channels)
                batches.pointee = 0
            }
        }
    }
}

/// A layer with its parameters bound to views into the model's flat buffers.
enum BoundLayer<Scalar: ActivationScalar> {
    case dense(
        weight: MatrixBuffer<Scalar>, weightGradient: MatrixBuffer<Scalar>,
        bias: UnsafeMutablePointer<Scalar>, biasGradient: UnsafeMutablePointer<Scalar>)
    case activation(Activation)
    case prelu(slopes: UnsafeMutablePointer<Scalar>, slopeGradient: UnsafeMutablePointer<Scalar>, count: Int)
    case convolution(
        Convolution2D, weight: UnsafeMutablePointer<Scalar>, weightGradient: UnsafeMutablePointer<Scalar>,
        bias: UnsafeMutablePointer<Scalar>, biasGradient: UnsafeMutablePointer<Scalar>)
    case maxPooling(Pooling2D)
    case averagePooling(Pooling2D)
    case globalAveragePooling(ImageShape)
    case flatten
    /// `saved` holds the latest pass's μ then 1/√(σ² + ε), per channel, for the backward pass.
    case batchNormalization(
        NormalizedShape, weight: UnsafeMutablePointer<Scalar>, weightGradient: UnsafeMutablePointer<Scalar>,
        bias: UnsafeMutablePointer<Scalar>, biasGradient: UnsafeMutablePointer<Scalar>,
        runningMean: UnsafeMutablePointer<Scalar>, runningVariance: UnsafeMutablePointer<Scalar>,
        batchesTracked: UnsafeMutablePointer<Scalar>, saved: AlignedStorage<Scalar>)
    case dropout(probability: Double)
}
