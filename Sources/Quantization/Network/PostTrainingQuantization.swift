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
    /// Dense j       → int8 weights, one scale per unit; int32 bias at s_in · s_j
    /// ReLU, leaky, PReLU, identity → output codes cover the range after the layer
    /// abs, softplus, sigmoid, tanh → a 256-entry table from codes covering the range before
    ///                 the activation to codes covering the range after it
    /// last Dense    → int32 accumulators dequantised to Float logits
    /// ```
    ///
    /// The model runs once over `calibration` (Float64 or Float32, whichever the model is),
    /// in chunks of ``QuantizedNetwork/chunkRows`` rows; every range is widened to contain 0.
    /// A tensor that only ever held zeros gets scale 1, so constant calibration data still
    /// quantises. O(calibration rows · parameters) time; percentile calibration keeps every
    /// observed value (4 bytes each).
    /// - Parameters:
    ///   - model: Dense layers, each followed by at most one activation or PReLU layer; the
    ///     last layer is Dense (the logits).
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
        let stages = try QuantizationStage.stages(of: model.architecture)
        guard calibration.columns == model.inputSize else {
            throw .shapeMismatch(what: "calibration columns", expected: model.inputSize, actual: calibration.columns)
        }
        guard calibration.rows > 0 else { throw .noSamples(what: "calibration") }
        var observers = try CalibrationObservers(
            model: model, method: options.calibration, observeInput: options.input == nil)
        for first in stride(from: 0, to: calibration.rows, by: chunkRows) {
            let chunk = calibration.rows(first..<Swift.min(first + chunkRows, calibration.rows))
            try observers.observe(chunk)
        }
        let input = if let fixed = options.input { fixed } else { try observers.inputParameters() }
        var parameters = input
        var layers: [QuantizedDense] = []
        for stage in stages {
            let weights = try QuantizedWeights(
                quantizing: try floats(model, "layers.\(stage.dense).weight"),
                outputs: stage.outputs, inputs: stage.inputs, precision: options.weightPrecision)
            let bias = try floats(model, "layers.\(stage.dense).bias")
            guard let output = try stage.output(observers: observers, model: model) else {
                layers.append(try QuantizedDense(weights: weights, bias: bias, input: parameters, output: .logits))
                break
            }
            layers.append(try QuantizedDense(weights: weights, bias: bias, input: parameters, output: output))
            if case .codes(let next, _) = output { parameters = next }
        }
        return try QuantizedNetwork(input: input, layers: layers)
    }

    /// A parameter tensor of the model rounded to Float.
    static func floats<Scalar: ActivationScalar>(_ model: Sequential<Scalar>, _ name: String)
        throws(QuantizationError) -> [Float]
    {
        do {
            return try model.parameters.tensor(named: name).map { Float($0) }
        } catch {
            throw .invalidParameter(name: name, value: 0, allowed: "a parameter of the model (\(error))")
        }
    }
}

/// One Dense layer of a model and the layer that follows it, as quantisation pairs them.
struct QuantizationStage {
    enum Follower {
        case none
        case activation(Activation, index: Int)
        case prelu(index: Int)
    }

    let dense: Int
    let inputs: Int
    let outputs: Int
    let follower: Follower
    let isLast: Bool

    /// Dense, then at most one activation or PReLU, …, Dense.
    static func stages(of architecture: Architecture) throws(QuantizationError) -> [QuantizationStage] {
        let layers = architecture.layers
        var stages: [QuantizationStage] = []
        var index = 0
        while index < layers.count {
            guard case let .dense(inputs, outputs) = layers[index] else {
                throw .unsupportedLayer(
                    index: index, description: "\(layers[index]) where a Dense layer must come")
            }
            var follower = Follower.none
            if index + 1 < layers.count {
                switch layers[index + 1] {
                case .activation(let activation, _): follower = .activation(activation, index: index + 1)
                case .prelu: follower = .prelu(index: index + 1)
                case .dense: break
                }
            }
            let next = index + (follower.isNone ? 1 : 2)
            if next >= layers.count, !follower.isNone {
                throw .unsupportedLayer(
                    index: index + 1, description: "\(layers[index + 1]) after the last Dense layer (logits must be linear)")
            }
            stages.append(QuantizationStage(
                dense: index, inputs: inputs, outputs: outputs, follower: follower, isLast: next >= layers.count))
            index = next
        }
        return stages
    }

    /// The codes this stage produces, or nil for the logits of the last stage.
    func output<Scalar: ActivationScalar>(observers: CalibrationObservers<Scalar>, model: Sequential<Scalar>)
        throws(QuantizationError) -> QuantizedOutput?
    {
        guard !isLast else { return nil }
        switch follower {
        case .none:
            return .codes(try observers.parameters(after: dense), activation: .identity)
        case .activation(let activation, let index):
            let output = try observers.parameters(after: index)
            let preActivation: QuantizationParameters
            switch activation {
            case .abs, .softplus, .sigmoid, .tanh, .gelu, .silu, .elu, .selu, .mish: preActivation = try observers.parameters(after: dense)
            case .identity, .relu, .leakyReLU: preActivation = output
            }
            return .codes(
                output, activation: QuantizedActivation(activation, preActivation: preActivation, output: output))
        case .prelu(let index):
            let slopes = try QuantizedNetwork.floats(model, "layers.\(index).slopes").map(Double.init)
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
