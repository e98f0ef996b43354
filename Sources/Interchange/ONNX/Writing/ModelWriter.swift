import Activations
import Networks
import Runtime
import SwiftProtobuf

/// Builds the ONNX model of an ``ONNXModel``: opset 13, IR version 7, one input
/// `input` `[batch, inputSize]` (`batch` symbolic), the input scaling as `Sub` and `Div`
/// nodes (constants `input.offset`, `input.scale`) when there is one, a `Reshape` to the
/// first layer's image when it takes one (see ``addImageLayer(_:prefix:input:output:parameters:)``),
/// one node per layer, parameters as
/// initializers named as Rectifier's parameters (`layers.i.weight` `[out, in]`,
/// `layers.i.bias`, `layers.i.slopes`, `layers.i.beta`), output `logits` and, when the
/// network ends with a softmax, `probabilities`; ``ONNXModel/metadata`` as `metadata_props`.
struct ModelWriter {
    let network: ONNXModel
    var graph = Onnx_GraphProto()

    private init(_ network: ONNXModel) {
        self.network = network
    }

    static func model(_ network: ONNXModel) -> Onnx_ModelProto {
        var writer = ModelWriter(network)
        writer.buildGraph()
        var model = Onnx_ModelProto.rectifier(writer.graph)
        model.metadataProps = network.metadata.keys.sorted().map { key in
            var entry = Onnx_StringStringEntryProto()
            entry.key = key
            entry.value = network.metadata[key]!
            return entry
        }
        return model
    }

    private var elementType: Onnx_TensorProto.DataType {
        network.precision == .float32 ? .float : .double
    }

    private mutating func buildGraph() {
        graph.name = "rectifier"
        let model = network.model
        graph.input = [.matrix("input", width: model.inputSize, elementType: elementType)]
        var current = "input"
        if let scaling = network.inputScaling {
            let shape = scaling.offset.count == 1 ? [] : [scaling.offset.count]
            graph.initializer.append(Self.tensor("input.offset", shape: shape, values: scaling.offset, precision: network.precision))
            graph.initializer.append(Self.tensor("input.scale", shape: shape, values: scaling.scale, precision: network.precision))
            graph.addNode("Sub", "input.centre", inputs: ["input", "input.offset"], output: "input.centred")
            graph.addNode("Div", "input.rescale", inputs: ["input.centred", "input.scale"], output: "input.scaled")
            current = "input.scaled"
        }
        reshapeInput(&current)
        var parameters = model.parameters.layout.parameters.makeIterator()
        for (index, layer) in model.architecture.layers.enumerated() {
            let prefix = "layers.\(index)"
            let output = index == model.architecture.layers.count - 1 ? "logits" : prefix + ".output"
            switch layer {
            case .dense:
                for info in [parameters.next()!, parameters.next()!] { addInitializer(info) }
                graph.addNode("Gemm", prefix, inputs: [current, prefix + ".weight", prefix + ".bias"], output: output,
                              attributes: [.integer("transB", 1)])
            case .prelu:
                addInitializer(parameters.next()!)
                graph.addNode("PRelu", prefix, inputs: [current, prefix + ".slopes"], output: output)
            case .activation(let activation, _):
                graph.addActivation(activation, input: current, output: output, names: .init(layer: prefix)) { [precision = network.precision] name, beta in
                    Self.tensor(name, shape: [], values: [beta], precision: precision)
                }
            case .convolution, .maxPooling, .averagePooling, .globalAveragePooling, .flatten, .batchNormalization, .dropout:
                addImageLayer(layer, prefix: prefix, input: current, output: output, parameters: &parameters)
            }
            current = output
        }
        graph.output = [.matrix("logits", width: model.outputSize, elementType: elementType)]
        if network.endsWithSoftmax {
            graph.addNode("Softmax", "softmax", inputs: ["logits"], output: "probabilities", attributes: [.integer("axis", 1)])
            graph.output.append(.matrix("probabilities", width: model.outputSize, elementType: elementType))
        }
    }

    /// A parameter tensor of the model, under its own name and shape.
    mutating func addInitializer(_ info: ParameterInfo) {
        let values = network.model.parameters.values
        graph.initializer.append(
            Self.tensor(info.name, shape: info.shape, values: info.range.lazy.map { values[$0] }, precision: network.precision))
    }

    /// Values as little-endian `raw_data`, rounded to nearest for `FLOAT`.
    static func tensor<Values: Collection<Double>>(
        _ name: String, shape: [Int], values: Values, precision: ONNXModel.Precision
    ) -> Onnx_TensorProto {
        precision == .float32
            ? .initializer(name, .float, shape: shape, values.lazy.map { Float($0).bitPattern })
            : .initializer(name, .double, shape: shape, values.lazy.map(\.bitPattern))
    }
}

extension ONNXModel {
    /// The model as ONNX bytes (see ``writeONNX(to:)``); the same network always gives
    /// the same bytes.
    ///
    /// - Complexity: O(parameter count).
    public func onnxBytes() -> [UInt8] {
        // Cannot fail: the subset has no required fields and no `Any`.
        try! ModelWriter.model(self).serializedBytes()
    }

    /// Writes the model as an ONNX model, atomically (temp file + rename).
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
