import Activations
import Quantization
import Runtime
import SwiftProtobuf

/// Builds the ONNX model of a ``QuantizedNetwork`` from standard ai.onnx operators (opset
/// 13), integers where the network has integers:
///
/// ```
/// input (FLOAT) → QuantizeLinear(s_in, z_in) → uint8 codes
/// each layer:  MatMulInteger(codes, W + 128 uint8 [in, out], z_in, 128) → Add(bias int32) → acc
///              → Cast(FLOAT) → Mul(s_in·s_j per unit) → y, the real pre-activation
/// hidden:      Relu / LeakyRelu / PRelu / nothing (identity) → QuantizeLinear(s_out, z_out)
///              table members: QuantizeLinear(pre) → DequantizeLinear(pre) → Sigmoid / Tanh /
///              Softplus / Abs → QuantizeLinear(s_out, z_out)        (the table's two roundings)
/// last:        y is the output `logits` (FLOAT)
/// ```
///
/// The accumulators are exactly Rectifier's. Requantisation is where runtimes may differ:
/// Rectifier multiplies by a 31-bit fixed-point `M` and rounds once (ties up); ONNX
/// Runtime rounds `y / s_out` in Float (ties to even). A code can differ by one where the two
/// roundings disagree, which is rare; the logits then differ by a step of the last layer.
struct QuantizedModelWriter {
    private let network: QuantizedNetwork
    private let inputScaling: ONNXModel.InputScaling?
    private var graph = Onnx_GraphProto()

    static func model(
        _ network: QuantizedNetwork, inputScaling: ONNXModel.InputScaling? = nil, metadata: [String: String] = [:]
    ) -> Onnx_ModelProto {
        var writer = QuantizedModelWriter(network: network, inputScaling: inputScaling)
        writer.buildGraph()
        var model = Onnx_ModelProto.rectifier(writer.graph)
        model.metadataProps = metadata.keys.sorted().map { key in
            var entry = Onnx_StringStringEntryProto()
            entry.key = key
            entry.value = metadata[key]!
            return entry
        }
        return model
    }

    private init(network: QuantizedNetwork, inputScaling: ONNXModel.InputScaling?) {
        self.network = network
        self.inputScaling = inputScaling
    }

    private mutating func buildGraph() {
        graph.name = "rectifier-int8"
        graph.input = [.matrix("input", width: network.inputSize, elementType: .float)]
        var scaled = "input"
        if let inputScaling {
            let shape = inputScaling.offset.count == 1 ? [] : [inputScaling.offset.count]
            addInitializer("input.offset", .float, shape: shape, inputScaling.offset.map { Float($0).bitPattern })
            addInitializer("input.scale", .float, shape: shape, inputScaling.scale.map { Float($0).bitPattern })
            graph.addNode("Sub", "input.centre", inputs: ["input", "input.offset"], output: "input.centred")
            graph.addNode("Div", "input.rescale", inputs: ["input.centred", "input.scale"], output: "input.scaled")
            scaled = "input.scaled"
        }
        var current = quantize(scaled, network.input, prefix: "input", output: "input.codes")
        for (index, layer) in network.layers.enumerated() {
            let prefix = "layers.\(index)"
            let weights = layer.weights
            // uint8 weights w + 128 with zero point 128: the same products, and ONNX Runtime's
            // u8u8 kernels widen to 16 bits, where its AVX2 u8s8 kernel (vpmaddubsw) saturates
            // pairs of products beyond ±32767 for |w| > 64.
            var transposed = [UInt8](repeating: 0, count: weights.values.count)
            for unit in 0..<layer.units {
                for input in 0..<layer.inputs {
                    let value = Int(weights.values[unit * layer.inputs + input]) + 128
                    transposed[input * layer.units + unit] = UInt8(value)
                }
            }
            addInitializer(prefix + ".weight", .uint8, shape: [layer.inputs, layer.units], transposed)
            addInitializer(prefix + ".input_zero_point", .uint8, shape: [], [UInt8(layer.input.zeroPoint)])
            addInitializer(prefix + ".weight_zero_point", .uint8, shape: [], [UInt8(128)])
            addInitializer(prefix + ".bias", .int32, shape: [layer.units], layer.bias.map { UInt32(bitPattern: $0) })
            addInitializer(prefix + ".accumulator_scale", .float, shape: [layer.units],
                           layer.biasScales.map { Float($0).bitPattern })
            graph.addNode("MatMulInteger", prefix + ".matmul",
                          inputs: [current, prefix + ".weight", prefix + ".input_zero_point", prefix + ".weight_zero_point"],
                          output: prefix + ".product")
            graph.addNode("Add", prefix + ".bias", inputs: [prefix + ".product", prefix + ".bias"], output: prefix + ".accumulator")
            graph.addNode("Cast", prefix + ".cast", inputs: [prefix + ".accumulator"], output: prefix + ".accumulator_float",
                          attributes: [.integer("to", Int64(Onnx_TensorProto.DataType.float.rawValue))])
            guard case .codes(let output, let activation) = layer.output else {
                graph.addNode("Mul", prefix + ".scale", inputs: [prefix + ".accumulator_float", prefix + ".accumulator_scale"],
                              output: "logits")
                break
            }
            graph.addNode("Mul", prefix + ".scale", inputs: [prefix + ".accumulator_float", prefix + ".accumulator_scale"],
                          output: prefix + ".pre_activation")
            let activated = addActivation(activation, prefix: prefix, input: prefix + ".pre_activation")
            current = quantize(activated, output, prefix: prefix + ".output", output: prefix + ".codes")
        }
        graph.output = [.matrix("logits", width: network.outputSize, elementType: .float)]
    }

    /// The activation on real values; returns the name of its output.
    private mutating func addActivation(_ activation: QuantizedActivation, prefix: String, input: String) -> String {
        let output = prefix + ".activation"
        var member: Activation
        var source = input
        switch activation {
        case .identity:
            return input
        case .relu:
            member = .relu
        case .leakyReLU(let slope):
            // QuantizedDense refuses a non-finite slope, so the member is always made.
            member = (try? .leakyReLU(negativeSlope: slope)) ?? .identity
        case .prelu(let slopes):
            addInitializer(prefix + ".slopes", .float, shape: [slopes.count], slopes.map { Float($0).bitPattern })
            graph.addNode("PRelu", prefix + ".prelu", inputs: [input, prefix + ".slopes"], output: output)
            return output
        case .table(let table):
            let codes = quantize(input, table.input, prefix: prefix + ".pre_activation", output: prefix + ".pre_codes")
            graph.addNode("DequantizeLinear", prefix + ".dequantize",
                          inputs: [codes, prefix + ".pre_activation_scale", prefix + ".pre_activation_zero_point"],
                          output: prefix + ".pre_values")
            member = table.activation
            source = prefix + ".pre_values"
        }
        graph.addActivation(member, input: source, output: output, names: .init(layer: prefix, activation: member)) { name, beta in
            .initializer(name, .float, shape: [], [Float(beta).bitPattern])
        }
        return output
    }

    /// QuantizeLinear of `input` with `parameters` (initializers `prefix_scale`, `prefix_zero_point`).
    private mutating func quantize(
        _ input: String, _ parameters: QuantizationParameters, prefix: String, output: String
    ) -> String {
        addInitializer(prefix + "_scale", .float, shape: [], [parameters.scale.bitPattern])
        addInitializer(prefix + "_zero_point", .uint8, shape: [], [UInt8(parameters.zeroPoint)])
        graph.addNode("QuantizeLinear", prefix + ".quantize", inputs: [input, prefix + "_scale", prefix + "_zero_point"], output: output)
        return output
    }

    private mutating func addInitializer<Values: Collection>(
        _ name: String, _ type: Onnx_TensorProto.DataType, shape: [Int], _ values: Values
    ) where Values.Element: FixedWidthInteger {
        graph.initializer.append(.initializer(name, type, shape: shape, values))
    }
}

extension QuantizedNetwork {
    /// The int8 network as ONNX bytes (QuantizeLinear, MatMulInteger, DequantizeLinear and
    /// the activations' operators, opset 13; see the layout in the type's documentation):
    /// input `input` `[batch, inputSize]` FLOAT, output `logits` `[batch, outputSize]` FLOAT.
    /// The same network always gives the same bytes. O(parameter count).
    /// - Precondition: every step is ``QuantizedStep/dense`` (``writeONNX(to:inputScaling:metadata:)`` checks).
    public func onnxBytes(inputScaling: ONNXModel.InputScaling? = nil, metadata: [String: String] = [:]) -> [UInt8] {
        precondition(steps.allSatisfy { $0 == .dense }, "onnxBytes: an int8 network with images")
        // Cannot fail: the subset has no required fields and no `Any`.
        return try! QuantizedModelWriter.model(self, inputScaling: inputScaling, metadata: metadata).serializedBytes()
    }

    /// Writes ``onnxBytes(inputScaling:metadata:)`` atomically (temp file + rename).
    /// - Throws: ``ONNXError/writeFailed(_:)``; ``ONNXError/invalidGraph(file:detail:)`` for a
    ///   network with convolutions or pooling (not written as ONNX: export the float model);
    ///   the previous file, if any, is left as it was.
    public func writeONNX(
        to path: String, inputScaling: ONNXModel.InputScaling? = nil, metadata: [String: String] = [:]
    ) throws(ONNXError) {
        guard steps.allSatisfy({ $0 == .dense }) else {
            throw .invalidGraph(
                file: path,
                detail: "an int8 model with convolutions or pooling is not written as ONNX; export the float model")
        }
        do {
            try AtomicFile.write(onnxBytes(inputScaling: inputScaling, metadata: metadata), to: path)
        } catch {
            throw .writeFailed(error)
        }
    }
}
