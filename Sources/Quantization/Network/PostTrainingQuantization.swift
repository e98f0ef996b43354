import Activations
import Networks

/// How ``QuantizedNetwork/quantize(_:calibration:options:)`` turns a trained model into
/// integers.
public struct QuantizationOptions: Hashable, Sendable {
    /// How each activation range is taken from the calibration values (min/max by default).
    public var calibration: CalibrationMethod
    /// ±127 (default) or ±63 weight codes.
    public var weightPrecision: WeightPrecision
    /// Fixed parameters for the input codes (e.g. pixels in [0, 1]: scale 1/255, zero point 0),
    /// or nil to calibrate the input like every other tensor.
    public var input: QuantizationParameters?

    /// - Throws: ``QuantizationError/invalidParameter(name:value:allowed:)`` for a percentile
    ///   outside (50, 100].
    public init(
        calibration: CalibrationMethod = .minMax, weightPrecision: WeightPrecision = .bits8,
        input: QuantizationParameters? = nil
    ) throws(QuantizationError) {
        self.calibration = try calibration.validated()
        self.weightPrecision = weightPrecision
        self.input = input
    }
}

extension QuantizedNetwork {
    /// Post-training quantisation of a trained feed-forward model (static ranges, after
    /// TFLite and ONNX Runtime):
    ///
    /// ```
    /// input codes   ← range of the calibration features (or options.input)
    /// Dense j, convolution j → int8 weights, one scale per unit (output channel); int32 bias
    ///                 at s_in · s_j; a batch normalisation right after is folded into them
    ///                 first (w·γ/√(σ²+ε), (b − μ)·γ/√(σ²+ε) + β, running statistics)
    /// ReLU, leaky, PReLU, identity → output codes cover the range after the layer
    /// abs, softplus, sigmoid, tanh → a 256-entry table from codes covering the range before
    ///                 the activation to codes covering the range after it
    /// pooling       → on the codes (``QuantizedStep``); flatten and dropout → nothing
    /// last Dense    → int32 accumulators dequantised to Float logits
    /// ```
    ///
    /// The model runs once over `calibration` (Float64 or Float32, whichever the model is),
    /// in chunks of at most ``QuantizedNetwork/chunkRows`` rows (fewer for wide models);
    /// every range is widened to contain 0. A tensor that only ever held zeros gets scale 1,
    /// so constant calibration data still quantises. O(calibration rows · parameters) time;
    /// percentile calibration keeps every observed value (4 bytes each).
    /// - Parameters:
    ///   - model: Dense and convolution layers, each followed by at most one batch
    ///     normalisation and one activation or PReLU (one slope, or one per unit of a Dense
    ///     layer); pooling, flatten and dropout between them; the last layer is Dense (the
    ///     logits).
    ///   - calibration: `n × inputSize` samples, typically a sample of the training data.
    /// - Throws: ``QuantizationError/unsupportedLayer(index:description:)`` for any other
    ///   layer order; ``QuantizationError/shapeMismatch(what:expected:actual:)`` when the
    ///   calibration's columns are not the model's inputs; ``QuantizationError/noSamples(what:)``
    ///   for an empty calibration; ``QuantizationError/nonFiniteValue(what:index:value:)`` for a
    ///   NaN or infinite calibration value, weight or bias; and the errors of
    ///   ``QuantizedDense/init(weights:bias:input:output:)`` (a bias beyond ±2^30 steps, a
    ///   rescaling factor ≥ 2^30).
    public static func quantize<Scalar: ActivationScalar>(
        _ model: Sequential<Scalar>, calibration: Matrix<Scalar>,
        options: QuantizationOptions = try! QuantizationOptions()
    ) throws(QuantizationError) -> QuantizedNetwork {
        let (stages, steps) = try QuantizationStage.plan(of: model.architecture)
        guard calibration.columns == model.inputSize else {
            throw .shapeMismatch(what: "calibration columns", expected: model.inputSize, actual: calibration.columns)
        }
        guard calibration.rows > 0 else { throw .noSamples(what: "calibration") }
        var observers = try CalibrationObservers(
            model: model, method: options.calibration, observeInput: options.input == nil)
        // every layer's output of a chunk is held at once: at most 2^23 values
        let chunk = Swift.max(1, Swift.min(chunkRows, (1 << 23) / Swift.max(1, model.architecture.valuesPerSample ?? .max)))
        for first in stride(from: 0, to: calibration.rows, by: chunk) {
            try observers.observe(calibration.rows(first..<Swift.min(first + chunk, calibration.rows)))
        }
        let input = if let fixed = options.input { fixed } else { try observers.inputParameters() }
        var parameters = input
        var layers: [QuantizedDense] = []
        for stage in stages {
            let (values, bias) = try stage.parameters(model)
            let weights = try QuantizedWeights(
                quantizing: values, outputs: stage.outputs, inputs: stage.inputs, precision: options.weightPrecision)
            guard let output = try stage.output(observers: observers, model: model) else {
                layers.append(try QuantizedDense(weights: weights, bias: bias, input: parameters, output: .logits))
                break
            }
            layers.append(try QuantizedDense(weights: weights, bias: bias, input: parameters, output: output))
            if case .codes(let next, _) = output { parameters = next }
        }
        return try QuantizedNetwork(input: input, layers: layers, steps: steps)
    }

    /// The steps the integer network of a model of `architecture` runs (the
    /// ``quantize(_:calibration:options:)`` of such a model has these).
    /// - Throws: ``QuantizationError/unsupportedLayer(index:description:)`` for a layer order
    ///   quantisation refuses.
    package static func steps(of architecture: Architecture) throws(QuantizationError) -> [QuantizedStep] {
        try QuantizationStage.plan(of: architecture).steps
    }

    /// A parameter tensor of the model in Double.
    static func doubles<Scalar: ActivationScalar>(_ model: Sequential<Scalar>, _ name: String)
        throws(QuantizationError) -> [Double]
    {
        do {
            return try model.parameters.tensor(named: name).map { Double($0) }
        } catch {
            throw .invalidParameter(name: name, value: 0, allowed: "a parameter of the model (\(error))")
        }
    }
}

/// One Dense or convolution layer of a model and the layers that follow it, as quantisation
/// pairs them.
struct QuantizationStage {
    enum Follower {
        case none
        case activation(Activation, index: Int)
        case prelu(index: Int)
    }

    /// The Dense or convolution layer.
    let layer: Int
    let convolution: Convolution2D?
    /// A batch normalisation folded into the layer.
    let normalization: Int?
    /// The image whose NCHW flattening a Dense layer reads (its columns are reordered to NHWC).
    let flattened: ImageShape?
    let inputs: Int
    let outputs: Int
    let follower: Follower
    let isLast: Bool

    /// The stages, and the steps the integer network runs them in.
    static func plan(of architecture: Architecture) throws(QuantizationError)
        -> (stages: [QuantizationStage], steps: [QuantizedStep])
    {
        let layers = architecture.layers
        func refuse(_ index: Int, _ why: String) -> QuantizationError {
            .unsupportedLayer(index: index, description: "\(layers[index]) \(why)")
        }
        var stages: [QuantizationStage] = [], steps: [QuantizedStep] = []
        var image: ImageShape? = nil  // the image the codes hold, nil when flat
        var index = 0
        while index < layers.count {
            let inputs: Int, outputs: Int
            switch layers[index] {
            case .dropout, .flatten:
                index += 1
                continue
            case .maxPooling(let pooling), .averagePooling(let pooling):
                steps.append(layers[index] == .maxPooling(pooling) ? .maxPooling(pooling) : .averagePooling(pooling))
                image = pooling.output
                index += 1
                continue
            case .globalAveragePooling(let shape):
                steps.append(.globalAveragePooling(shape))
                image = nil
                index += 1
                continue
            case .activation, .prelu, .batchNormalization:
                throw refuse(index, "where a Dense or convolution layer must come (only right after one)")
            case .dense(let denseInputs, let denseOutputs):
                (inputs, outputs) = (denseInputs, denseOutputs)
                steps.append(.dense)
            case .convolution(let geometry):
                (inputs, outputs) = (geometry.patchCount, geometry.output.channels)
                steps.append(.convolution(geometry))
            }
            var next = index + 1
            var normalization: Int? = nil
            if next < layers.count, case .batchNormalization = layers[next] {
                normalization = next
                next += 1
            }
            var follower = Follower.none
            if next < layers.count {
                switch layers[next] {
                case .activation(let activation, _): follower = .activation(activation, index: next)
                case .prelu(let options, let width):
                    guard options.shared || width == outputs else {
                        throw refuse(next, "with one slope per value after a convolution (int8 takes one per channel)")
                    }
                    follower = .prelu(index: next)
                default: break
                }
                if !follower.isNone { next += 1 }
            }
            let isLast = !layers[next...].contains {
                switch $0 {
                case .dense, .convolution: return true
                default: return false
                }
            }
            if isLast {
                if !follower.isNone { throw refuse(next - 1, "after the last Dense layer (logits must be linear)") }
                if let extra = layers[next...].firstIndex(where: { if case .dropout = $0 { false } else { true } }) {
                    throw refuse(extra, "after the last Dense layer (the logits come from a Dense layer)")
                }
                if case .convolution = layers[index] {
                    throw refuse(index, "as the last layer (the logits come from a Dense layer)")
                }
            }
            let convolution: Convolution2D? = if case .convolution(let geometry) = layers[index] { geometry } else { nil }
            let flattened = convolution == nil ? image.flatMap { $0.channels > 1 && $0.planeCount > 1 ? $0 : nil } : nil
            stages.append(QuantizationStage(
                layer: index, convolution: convolution, normalization: normalization, flattened: flattened,
                inputs: inputs, outputs: outputs, follower: follower, isLast: isLast))
            image = convolution?.output
            index = next
        }
        return (stages, steps)
    }

    /// The layer's weights (in the order the integer network reads its inputs) and bias,
    /// with the batch normalisation folded in (in Double, rounded once to Float).
    func parameters<Scalar: ActivationScalar>(_ model: Sequential<Scalar>) throws(QuantizationError)
        -> (weights: [Float], bias: [Float])
    {
        var weights = try QuantizedNetwork.doubles(model, "layers.\(layer).weight")
        var bias = try QuantizedNetwork.doubles(model, "layers.\(layer).bias")
        if let normalization {
            let name = "layers.\(normalization)."
            let gamma = try QuantizedNetwork.doubles(model, name + "weight")
            let beta = try QuantizedNetwork.doubles(model, name + "bias")
            let mean = try QuantizedNetwork.doubles(model, name + "running_mean")
            let variance = try QuantizedNetwork.doubles(model, name + "running_var")
            for unit in 0..<outputs {
                let factor = gamma[unit] / (variance[unit] + BatchNormalization.defaultEpsilon).squareRoot()
                for k in unit * inputs..<(unit + 1) * inputs { weights[k] *= factor }
                bias[unit] = (bias[unit] - mean[unit]) * factor + beta[unit]
            }
        }
        var floats = weights.map { Float($0) }
        if let convolution { floats = convolution.weightsInPatchOrder(floats) }
        if let flattened { floats = flattened.columnsChannelsLast(floats, outputs: outputs) }
        return (floats, bias.map { Float($0) })
    }

    /// The layer whose output the stage's codes stand for before the activation.
    var preActivation: Int { normalization ?? layer }

    /// The codes this stage produces, or nil for the logits of the last stage.
    func output<Scalar: ActivationScalar>(observers: CalibrationObservers<Scalar>, model: Sequential<Scalar>)
        throws(QuantizationError) -> QuantizedOutput?
    {
        guard !isLast else { return nil }
        switch follower {
        case .none:
            return .codes(try observers.parameters(after: preActivation), activation: .identity)
        case .activation(let activation, let index):
            let output = try observers.parameters(after: index)
            let before: QuantizationParameters
            switch activation {
            case .abs, .softplus, .sigmoid, .tanh, .gelu, .silu, .elu, .selu, .mish: before = try observers.parameters(after: preActivation)
            case .identity, .relu, .leakyReLU: before = output
            }
            return .codes(output, activation: QuantizedActivation(activation, preActivation: before, output: output))
        case .prelu(let index):
            let slopes = try QuantizedNetwork.doubles(model, "layers.\(index).slopes")
            return .codes(try observers.parameters(after: index), activation: .prelu(slopes: slopes))
        }
    }
}

extension QuantizationStage.Follower {
    var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}

/// A ``RangeObserver`` on the model's input and on every layer's output.
struct CalibrationObservers<Scalar: ActivationScalar> {
    private var input: RangeObserver?
    private var layers: [RangeObserver]
    private let model: Sequential<Scalar>

    init(model: Sequential<Scalar>, method: CalibrationMethod, observeInput: Bool) throws(QuantizationError) {
        input = observeInput ? try RangeObserver(method: method, name: "calibration input") : nil
        layers = []
        for index in model.architecture.layers.indices {
            layers.append(try RangeObserver(method: method, name: "layers.\(index) output"))
        }
        self.model = model
    }

    mutating func observe(_ chunk: Matrix<Scalar>) throws(QuantizationError) {
        if input != nil { try input!.observe(chunk.scalars.map { Float($0) }) }
        let outputs: [Matrix<Scalar>]
        do {
            outputs = try model.layerOutputs(chunk)
        } catch {
            throw .invalidParameter(name: "calibration", value: Double(chunk.rows), allowed: error.description)
        }
        for (index, values) in outputs.enumerated() { try layers[index].observe(values.scalars.map { Float($0) }) }
    }

    /// Only called when the input was observed.
    func inputParameters() throws(QuantizationError) -> QuantizationParameters {
        try input!.parameters()
    }

    /// The parameters covering the output of layer `index` (and 0).
    func parameters(after index: Int) throws(QuantizationError) -> QuantizationParameters {
        try layers[index].parameters()
    }
}
