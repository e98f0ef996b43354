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
        resetSlopes()
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

    /// Redraws every Dense weight (see ``Initialization``), zeroes the biases and sets
    /// PReLU slopes to their initial value. Layers are drawn in order from `generator`.
    public func initialize(_ initialization: Initialization, generator: inout SeededGenerator) {
        let descriptions = architecture.layers
        for (index, layer) in layers.enumerated() {
            guard case let .dense(weight, _, bias, _) = layer else { continue }
            var slope = 0.0
            if index + 1 < descriptions.count {
                switch descriptions[index + 1] {
                case .activation(let f, _): slope = HiddenActivation.fixed(f).negativeSlopeForInitialization
                case .prelu(let options, _): slope = options.initialSlope
                case .dense: break
                }
            }
            initialization.fill(
                weight.buffer, fanIn: weight.columns, fanOut: weight.rows, negativeSlope: slope,
                generator: &generator)
            bias.update(repeating: 0, count: weight.rows)
        }
        resetSlopes()
    }

    private func resetSlopes() {
        for (layer, description) in zip(layers, architecture.layers) {
            if case let .prelu(slopes, _, count) = layer, case let .prelu(options, _) = description {
                slopes.update(repeating: Scalar(options.initialSlope), count: count)
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
}
