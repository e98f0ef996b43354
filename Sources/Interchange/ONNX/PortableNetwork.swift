import Activations

/// A feed-forward network in the form ONNX files and Rectifier's models share: a chain of
/// dense layers, elementwise activations and PReLU layers over flat `[batch, features]`
/// inputs, with its parameters, optionally closed by a softmax.
///
/// ```swift
/// let network = try PortableNetwork(inputSize: 4, layers: [
///     .dense(try .init(inputs: 4, outputs: 3, weights: w, bias: b)),    // w is [3, 4]
///     .activation(.relu),
///     .dense(try .init(inputs: 3, outputs: 2, weights: v, bias: c)),
/// ])
/// try network.writeONNX(to: "model.onnx")
/// let back = try PortableNetwork(contentsOfONNXFile: "model.onnx")      // == network
/// ```
///
/// Parameters are held as `Double` whatever the ``precision``: a `Float` value widens
/// exactly, so a float32 network keeps its bits; a float32 network's values are rounded to
/// `Float` (to nearest) when written.
public struct PortableNetwork: Hashable, Sendable {
    /// The element type of the inputs, parameters and outputs in an ONNX file.
    public enum Precision: String, Hashable, Sendable {
        /// ONNX `FLOAT` (IEEE binary32).
        case float32
        /// ONNX `DOUBLE` (IEEE binary64).
        case float64
    }

    /// `y = x·Wᵀ + b` with W `[outputs, inputs]` (PyTorch's layout) and b `[outputs]`.
    public struct Dense: Hashable, Sendable {
        /// Inputs per sample.
        public let inputs: Int
        /// Outputs per sample.
        public let outputs: Int
        /// W, `outputs × inputs` values, row-major: `weights[o * inputs + i]`.
        public let weights: [Double]
        /// b, `outputs` values.
        public let bias: [Double]

        /// - Throws: ``ONNXError/invalidNetwork(detail:)`` when a size is < 1, the counts are
        ///   not `outputs × inputs` and `outputs`, or a value is NaN or infinite.
        public init(inputs: Int, outputs: Int, weights: [Double], bias: [Double]) throws(ONNXError) {
            guard inputs >= 1, outputs >= 1, inputs.multipliedReportingOverflow(by: outputs).overflow == false else {
                throw .invalidNetwork(detail: "a dense layer needs ≥ 1 inputs and outputs, got \(inputs)→\(outputs)")
            }
            guard weights.count == inputs * outputs, bias.count == outputs else {
                throw .invalidNetwork(
                    detail: "a dense layer \(inputs)→\(outputs) needs \(inputs * outputs) weights and \(outputs) biases, got \(weights.count) and \(bias.count)")
            }
            if let index = weights.firstIndex(where: { !$0.isFinite }) ?? bias.firstIndex(where: { !$0.isFinite }) {
                throw .invalidNetwork(detail: "a dense layer \(inputs)→\(outputs) has a NaN or infinite parameter (element \(index))")
            }
            self.inputs = inputs
            self.outputs = outputs
            self.weights = weights
            self.bias = bias
        }
    }

    /// One step of the chain.
    public enum Layer: Hashable, Sendable {
        /// A fully connected layer.
        case dense(Dense)
        /// An elementwise member of the family, with its parameters.
        case activation(Activation)
        /// `y = x < 0 ? α_j·x : x` with one slope per unit, or one slope (`count == 1`)
        /// shared by all units.
        case prelu(slopes: [Double])
    }

    /// Features per sample at the input.
    public let inputSize: Int
    /// The layers, input to output.
    public let layers: [Layer]
    /// The element type in an ONNX file.
    public let precision: Precision
    /// Whether a softmax over the features closes the network: the ONNX file then has two
    /// outputs, `logits` and `probabilities`.
    public let endsWithSoftmax: Bool

    /// A network taking `inputSize` features through `layers`.
    ///
    /// - Throws: ``ONNXError/invalidNetwork(detail:)`` when the input size is < 1, the list
    ///   is empty, a dense layer's input count differs from the width it meets, a PReLU has
    ///   neither 1 nor `width` slopes, a slope is not finite, a value overflows `Float` where
    ///   ONNX stores it as one (any parameter of a `.float32` network, a leaky ReLU's slope,
    ///   which is a float attribute).
    public init(
        inputSize: Int, layers: [Layer], precision: Precision = .float32, endsWithSoftmax: Bool = false
    ) throws(ONNXError) {
        guard inputSize >= 1 else {
            throw .invalidNetwork(detail: "input size \(inputSize) is not allowed (≥ 1)")
        }
        guard !layers.isEmpty else {
            throw .invalidNetwork(detail: "the layer list is empty; give at least one layer")
        }
        var width = inputSize
        for (index, layer) in layers.enumerated() {
            switch layer {
            case .dense(let dense):
                guard dense.inputs == width else {
                    throw .invalidNetwork(detail: "layers.\(index) takes \(dense.inputs) inputs but meets \(width) features")
                }
                if precision == .float32, !Self.fitInFloat(dense.weights) || !Self.fitInFloat(dense.bias) {
                    throw .invalidNetwork(detail: "layers.\(index) has a parameter beyond Float's range (±3.4e38)")
                }
                width = dense.outputs
            case .activation(let activation):
                try Self.checkParameters(of: activation, layer: index, precision: precision)
            case .prelu(let slopes):
                guard slopes.count == 1 || slopes.count == width else {
                    throw .invalidNetwork(detail: "layers.\(index) has \(slopes.count) PReLU slopes for \(width) units (allowed: 1 or \(width))")
                }
                guard slopes.allSatisfy(\.isFinite), precision == .float64 || Self.fitInFloat(slopes) else {
                    throw .invalidNetwork(detail: "layers.\(index) has a NaN, infinite or out-of-range PReLU slope")
                }
            }
        }
        self.inputSize = inputSize
        self.layers = layers
        self.precision = precision
        self.endsWithSoftmax = endsWithSoftmax
    }

    /// Features per sample at the output.
    public var outputSize: Int {
        layers.reduce(inputSize) { width, layer in
            if case .dense(let dense) = layer { dense.outputs } else { width }
        }
    }

    private static func checkParameters(of activation: Activation, layer: Int, precision: Precision) throws(ONNXError) {
        switch activation {
        case .leakyReLU(let leaky) where !Float(leaky.negativeSlope).isFinite:
            throw .invalidNetwork(detail: "layers.\(layer): leaky ReLU slope \(leaky.negativeSlope) is beyond Float's range, which ONNX's alpha attribute has")
        case .softplus(let softplus) where precision == .float32 && !Float(softplus.beta).isFinite:
            throw .invalidNetwork(detail: "layers.\(layer): softplus beta \(softplus.beta) is beyond Float's range")
        default:
            break
        }
    }

    private static func fitInFloat(_ values: [Double]) -> Bool {
        values.allSatisfy { Float($0).isFinite }
    }
}
