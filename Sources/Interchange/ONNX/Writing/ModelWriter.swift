#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Activations
import Runtime
import SwiftProtobuf

/// Builds the ONNX model of a ``PortableNetwork``: opset 13, IR version 7, one input
/// `input` `[batch, inputSize]` (`batch` symbolic), one node per layer, parameters as
/// initializers named as Rectifier's parameters (`layers.i.weight` `[out, in]`,
/// `layers.i.bias`, `layers.i.slopes`, `layers.i.beta`), output `logits` and, when the
/// network ends with a softmax, `probabilities`.
struct ModelWriter {
    private let network: PortableNetwork
    private var graph = Onnx_GraphProto()

    private init(_ network: PortableNetwork) {
        self.network = network
    }

    static func model(_ network: PortableNetwork) -> Onnx_ModelProto {
        var writer = ModelWriter(network)
        writer.buildGraph()
        return .rectifier(writer.graph)
    }

    private var elementType: Onnx_TensorProto.DataType {
        network.precision == .float32 ? .float : .double
    }

    private mutating func buildGraph() {
        graph.name = "rectifier"
        graph.input = [.matrix("input", width: network.inputSize, elementType: elementType)]
        var current = "input"
        for (index, layer) in network.layers.enumerated() {
            let prefix = "layers.\(index)"
            let output = index == network.layers.count - 1 ? "logits" : prefix + ".output"
            switch layer {
            case .dense(let dense):
                addInitializer(prefix + ".weight", shape: [dense.outputs, dense.inputs], values: dense.weights)
                addInitializer(prefix + ".bias", shape: [dense.outputs], values: dense.bias)
                graph.addNode("Gemm", prefix, inputs: [current, prefix + ".weight", prefix + ".bias"], output: output,
                              attributes: [.integer("transB", 1)])
            case .prelu(let slopes):
                addInitializer(prefix + ".slopes", shape: [slopes.count], values: slopes)
                graph.addNode("PRelu", prefix, inputs: [current, prefix + ".slopes"], output: output)
            case .activation(let activation):
                addActivation(activation, prefix: prefix, input: current, output: output)
            }
            current = output
        }
        graph.output = [.matrix("logits", width: network.outputSize, elementType: elementType)]
        if network.endsWithSoftmax {
            graph.addNode("Softmax", "softmax", inputs: ["logits"], output: "probabilities", attributes: [.integer("axis", 1)])
            graph.output.append(.matrix("probabilities", width: network.outputSize, elementType: elementType))
        }
    }

    /// One node per member; softplus with β ≠ 1 as `Mul(x, β) → Softplus → Div(·, β)`,
    /// since ONNX's Softplus has no β. ONNX's softplus has no threshold either: it is
    /// `log(1 + exp(x))` everywhere.
    private mutating func addActivation(_ activation: Activation, prefix: String, input: String, output: String) {
        switch activation {
        case .identity: graph.addNode("Identity", prefix, inputs: [input], output: output)
        case .relu: graph.addNode("Relu", prefix, inputs: [input], output: output)
        case .abs: graph.addNode("Abs", prefix, inputs: [input], output: output)
        case .sigmoid: graph.addNode("Sigmoid", prefix, inputs: [input], output: output)
        case .tanh: graph.addNode("Tanh", prefix, inputs: [input], output: output)
        case .leakyReLU(let leaky):
            graph.addNode("LeakyRelu", prefix, inputs: [input], output: output,
                          attributes: [.float("alpha", Float(leaky.negativeSlope))])
        case .softplus(let softplus) where softplus.beta == 1:
            graph.addNode("Softplus", prefix, inputs: [input], output: output)
        case .softplus(let softplus):
            addInitializer(prefix + ".beta", shape: [], values: [softplus.beta])
            graph.addNode("Mul", prefix + ".scale", inputs: [input, prefix + ".beta"], output: prefix + ".scaled")
            graph.addNode("Softplus", prefix, inputs: [prefix + ".scaled"], output: prefix + ".softplus")
            graph.addNode("Div", prefix + ".unscale", inputs: [prefix + ".softplus", prefix + ".beta"], output: output)
        }
    }

    /// Values as little-endian `raw_data`, rounded to nearest for `FLOAT`.
    private mutating func addInitializer(_ name: String, shape: [Int], values: [Double]) {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = shape.map(Int64.init)
        tensor.dataType = Int32(elementType.rawValue)
        if network.precision == .float32 {
            tensor.rawData = Data(count: values.count * 4)
            tensor.rawData.withUnsafeMutableBytes { bytes in
                for (index, value) in values.enumerated() {
                    bytes.storeBytes(of: Float(value).bitPattern.littleEndian, toByteOffset: index * 4, as: UInt32.self)
                }
            }
        } else {
            tensor.rawData = Data(count: values.count * 8)
            tensor.rawData.withUnsafeMutableBytes { bytes in
                for (index, value) in values.enumerated() {
                    bytes.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: index * 8, as: UInt64.self)
                }
            }
        }
        graph.initializer.append(tensor)
    }
}

extension PortableNetwork {
    /// The network as ONNX bytes (see ``writeONNX(to:)``); the same network always gives
    /// the same bytes.
    ///
    /// - Complexity: O(parameter count).
    public func onnxBytes() -> [UInt8] {
        // Cannot fail: the subset has no required fields and no `Any`.
        try! ModelWriter.model(self).serializedBytes()
    }

    /// Writes the network as an ONNX model, atomically (temp file + rename).
    ///
    /// The model uses ai.onnx opset 13 (IR version 7), so any runtime from 2021 on loads
    /// it: input `input` `[batch, inputSize]`, output `logits` `[batch, outputSize]` and,
    /// when ``endsWithSoftmax``, `probabilities`. Dense layers are `Gemm` with `transB = 1`
    /// and weights `[out, in]`; activations are their ONNX operators; softplus with β ≠ 1
    /// is `Mul → Softplus → Div`. ONNX's softplus has no threshold, so above β·x > threshold
    /// it computes `log(1 + exp(βx))/β` where PyTorch returns x: they differ by less than
    /// exp(−threshold)/β (2.1e−9 for the default 20, below half an ulp in `Float`). A leaky
    /// ReLU's slope is stored as a 32-bit float attribute, whatever the precision.
    ///
    /// - Throws: ``ONNXError/writeFailed(_:)`` naming the path and the system's reason;
    ///   the previous file, if any, is left as it was.
    public func writeONNX(to path: String) throws(ONNXError) {
        do {
            try AtomicFile.write(onnxBytes(), to: path)
        } catch {
            throw .writeFailed(error)
        }
    }
}
