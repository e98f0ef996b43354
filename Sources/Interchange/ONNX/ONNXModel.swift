#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Activations
import Networks

/// A model as an ONNX file holds it: a ``Networks/Sequential`` network of dense, activation
/// and PReLU layers, the element type of the file, and whether a softmax closes the graph.
///
/// ```swift
/// try ONNXModel(model, endsWithSoftmax: true).writeONNX(to: "model.onnx")
/// let read = try ONNXModel(contentsOfONNXFile: "model.onnx")
/// let logits = try Sequential<Float>(converting: read.model).predict(images)
/// ```
///
/// The network is held in `Double` whatever the ``precision``: a `Float` value widens
/// exactly, so a float32 file keeps its bits (its values are rounded to `Float`, to nearest,
/// when written). ``outputs(_:)``, the reference that runtimes are compared against, runs
/// the same `Sequential` code as training, in `Double`.
public struct ONNXModel {
    /// The element type of the inputs, parameters and outputs in an ONNX file.
    public enum Precision: String, Hashable, Sendable {
        /// ONNX `FLOAT` (IEEE binary32).
        case float32
        /// ONNX `DOUBLE` (IEEE binary64).
        case float64
    }

    /// The network, its parameters in `Double`; it gives the logits.
    public let model: Sequential<Double>
    /// The element type in an ONNX file.
    public let precision: Precision
    /// Whether a softmax over the logits closes the graph: the ONNX file then has two
    /// outputs, `logits` and `probabilities`.
    public let endsWithSoftmax: Bool
    /// The input scaling the graph applies before the first layer, `Sub` then `Div`; nil:
    /// none.
    public var inputScaling: InputScaling?
    /// The model's `metadata_props`: text keys and values (e.g. the class names).
    public var metadata: [String: String] = [:]

    /// `x′ = (x − offset[j]) / scale[j]` for feature j, one value broadcast to every feature
    /// when a vector holds one, computed in the graph's precision.
    public struct InputScaling: Equatable, Sendable {
        public let offset: [Double]
        public let scale: [Double]

        /// - Throws: ``ONNXError/invalidNetwork(detail:)`` unless both hold 1 or `width`
        ///   values, the offsets are finite and the scales finite and non-zero.
        public init(offset: [Double], scale: [Double], width: Int) throws(ONNXError) {
            guard offset.count == scale.count, offset.count == 1 || offset.count == width,
                offset.allSatisfy(\.isFinite), scale.allSatisfy({ $0.isFinite && $0 != 0 })
            else {
                throw .invalidNetwork(
                    detail: "input scaling: \(offset.count) offsets and \(scale.count) scales; 1 or \(width) of each, finite, scales non-zero")
            }
            (self.offset, self.scale) = (offset, scale)
        }
    }

    /// A copy of `model` (widened to `Double`, exactly) to be written in `precision`,
    /// `Scalar`'s own by default.
    ///
    /// - Throws: ``ONNXError/invalidNetwork(detail:)`` when a parameter is NaN or infinite,
    ///   or overflows `Float` where ONNX stores it as one (any parameter of a `.float32`
    ///   model, a leaky ReLU's slope, which is a float attribute, a float32 softplus's β).
    public init<Scalar: ActivationScalar>(
        _ model: Sequential<Scalar>, precision: Precision? = nil, endsWithSoftmax: Bool = false
    ) throws(ONNXError) {
        let precision = precision ?? (Scalar.self == Float.self ? .float32 : .float64)
        let values = model.parameters.values
        for info in model.parameters.layout.parameters {
            if let index = info.range.first(where: { !Self.fits(Double(values[$0]), precision) }) {
                throw .invalidNetwork(
                    detail: "\(info.name) has a NaN, infinite or out-of-range value (element \(index - info.offset)); \(precision) allows ±\(precision == .float32 ? "3.4e38" : "1.8e308")")
            }
        }
        for case let (index, .activation(activation, _)) in model.architecture.layers.enumerated() {
            switch activation {
            case .leakyReLU(let leaky) where !Float(leaky.negativeSlope).isFinite:
                throw .invalidNetwork(detail: "layers.\(index): leaky ReLU slope \(leaky.negativeSlope) is beyond Float's range, which ONNX's alpha attribute has")
            case .softplus(let softplus) where !Self.fits(softplus.beta, precision):
                throw .invalidNetwork(detail: "layers.\(index): softplus beta \(softplus.beta) is beyond Float's range")
            case .elu(let elu) where !Float(elu.alpha).isFinite:
                throw .invalidNetwork(detail: "layers.\(index): elu alpha \(elu.alpha) is beyond Float's range, which ONNX's alpha attribute has")
            default:
                break
            }
        }
        self.init(checked: Sequential<Double>(converting: model), precision: precision, endsWithSoftmax: endsWithSoftmax)
    }

    init(checked model: Sequential<Double>, precision: Precision, endsWithSoftmax: Bool) {
        self.model = model
        self.precision = precision
        self.endsWithSoftmax = endsWithSoftmax
    }

    private static func fits(_ value: Double, _ precision: Precision) -> Bool {
        precision == .float32 ? Float(value).isFinite : value.isFinite
    }

    /// What the ONNX graph gives for `input` (`n × inputSize`), computed in `Double` by
    /// ``inputScaling`` and ``model``: the probabilities when ``endsWithSoftmax``, the logits otherwise. A row's
    /// softmax is `exp(x_j − m) / Σ_k exp(x_k − m)` with `m` the row's largest logit.
    /// - Throws: ``Networks/NetworkError/shapeMismatch(what:detail:)`` for a column count
    ///   other than the model's input size.
    public func outputs(_ input: Matrix<Double>) throws(NetworkError) -> Matrix<Double> {
        var scaled = input
        if let inputScaling {
            let width = input.columns
            scaled.withUnsafeMutableBufferPointer { values in
                for index in values.indices {
                    let column = inputScaling.offset.count == 1 ? 0 : index % width
                    values[index] = (values[index] - inputScaling.offset[column]) / inputScaling.scale[column]
                }
            }
        }
        var outputs = try model.predict(scaled)
        guard endsWithSoftmax else { return outputs }
        let width = outputs.columns
        outputs.withUnsafeMutableBufferPointer { values in
            for start in stride(from: 0, to: values.count, by: width) {
                let row = values[start..<start + width]
                let largest = row.max()!
                for index in row.indices { values[index] = exp(values[index] - largest) }
                let total = values[start..<start + width].reduce(0, +)
                for index in row.indices { values[index] /= total }
            }
        }
        return outputs
    }
}

extension ONNXModel: Equatable {
    /// The same layers, parameter values, precision, softmax, input scaling and metadata (a perceptron's summary,
    /// which an ONNX file does not hold, aside).
    public static func == (left: ONNXModel, right: ONNXModel) -> Bool {
        left.precision == right.precision && left.endsWithSoftmax == right.endsWithSoftmax
            && left.inputScaling == right.inputScaling && left.metadata == right.metadata
            && left.model.architecture.layers == right.model.architecture.layers
            && left.model.parameters.snapshot() == right.model.parameters.snapshot()
    }
}

extension ONNXModel {
    /// Reads an ONNX model held in memory.
    ///
    /// The graph must be a chain from one input `[batch, features…]` to one output: Gemm, or
    /// MatMul with an optional bias Add, Relu, LeakyRelu, PRelu, Softplus (and
    /// Mul → Softplus → Div for β ≠ 1), Sigmoid, Tanh, Abs, Identity, a final Softmax, and
    /// Flatten or Reshape to make the input flat; parameters in initializers or `Constant`
    /// nodes, `FLOAT` or `DOUBLE` as the input; ai.onnx opset 13 to 28
    /// (``supportedOpsets``). Gemm's α and β are folded into the weights and bias, and
    /// `transB = 0` weights are transposed to `[out, in]`. A LeakyRelu's `alpha` (a 32-bit
    /// attribute) is read as the shortest decimal that rounds to it (0.01, not
    /// 0.009999999776). Softplus becomes PyTorch's default (threshold 20): in `Float` that
    /// is the same function (exp(−20) is less than half an ulp of 20), in `Double` it differs
    /// by less than exp(−20) ≈ 2.1e−9 above the threshold. The layers make a multi-layer
    /// perceptron's ``Networks/Architecture`` when they are one (Dense, then one activation
    /// or PReLU, alternating, ending with a Dense), a plain layer list otherwise; a PReLU
    /// with one slope is shared unless its width is 1.
    ///
    /// - Parameters:
    ///   - source: how messages name the bytes (a path, or `<memory>`).
    /// - Complexity: O(file size + parameter count); memory is bounded by a small multiple
    ///   of the file size, whatever the file claims.
    /// - Throws: ``ONNXError``, one case per way the model is malformed or unsupported.
    public init(onnx bytes: [UInt8], source: String = "<memory>") throws(ONNXError) {
        self = try ModelReader.read(bytes, file: source)
    }

    /// Reads the ONNX model at `path`; as ``init(onnx:source:)``.
    /// - Throws: ``ONNXError/cannotOpen(file:errno:)``, ``ONNXError/notRegularFile(file:)``,
    ///   ``ONNXError/readFailed(file:errno:)``, then as ``init(onnx:source:)``.
    public init(contentsOfONNXFile path: String) throws(ONNXError) {
        let bytes: [UInt8]
        do {
            bytes = try FileContents.read(path)
        } catch {
            switch error {
            case let .cannotOpen(file, code): throw .cannotOpen(file: file, errno: code)
            case let .readFailed(file, code): throw .readFailed(file: file, errno: code)
            default: throw .notRegularFile(file: path)
            }
        }
        try self.init(onnx: bytes, source: path)
    }
}
