import Networks
import SwiftProtobuf

/// Reads a serialized `ModelProto` into an ``ONNXModel``, checking in this order: the
/// protobuf, the ai.onnx opset, that every operator is supported, the constants, the chain
/// structure, the input's type and shape, then each node's attributes, shapes and values.
enum ModelReader {
    /// Protobuf messages are limited to 2 GiB.
    static let byteLimit = Int(Int32.max)

    static func read(_ bytes: [UInt8], file: String) throws(ONNXError) -> ONNXModel {
        guard bytes.count <= byteLimit else { throw .fileTooLarge(file: file, byteCount: bytes.count) }
        let model: Onnx_ModelProto
        do {
            // Fields outside the subset (training info, functions, other value types) are
            // dropped, not kept as copies; the default nesting limit (100) bounds recursion.
            var options = BinaryDecodingOptions()
            options.discardUnknownFields = true
            model = try Onnx_ModelProto(serializedBytes: bytes, options: options)
        } catch {
            throw .malformedProtobuf(file: file, detail: "\(error)")
        }
        try checkOpset(model, file: file)
        guard model.hasGraph else { throw .invalidGraph(file: file, detail: "the model has no graph") }
        for (index, node) in model.graph.node.enumerated() {
            guard SupportedOperators.isStandardDomain(node.domain), SupportedOperators.attributes[node.opType] != nil else {
                let name = node.domain.isEmpty ? node.opType : node.domain + "." + node.opType
                let integer = ["QuantizeLinear", "DequantizeLinear", "MatMulInteger", "ConvInteger"].contains(node.opType)
                throw .unsupportedOperator(
                    file: file, operator: name, node: GraphContext.label(of: node, at: index),
                    detail: integer
                        ? "int8 ONNX models are not read; import the float model and quantise it with rectifier quantize"
                        : "supported: \(SupportedOperators.names)")
            }
        }
        var context = try GraphContext(model.graph, file: file)
        let collapsed = FormulaActivations.collapsed(context)
        if collapsed.node.count != model.graph.node.count { context = try GraphContext(collapsed, file: file) }
        let chain = try GraphChain(context)
        let (precision, features) = try inputForm(chain.input, file: file)
        var translator = LayerTranslator(
            context: context, precision: precision, features: features, byteCount: bytes.count)
        try translator.translate(chain.nodes)
        let network: Sequential<Double>
        do {
            network = Sequential<Double>(architecture: try architecture(translator.layers))
        } catch {
            throw .invalidGraph(file: file, detail: error.description)
        }
        _ = network.parameters.values.update(fromContentsOf: translator.values)
        var read = ONNXModel(checked: network, precision: precision, endsWithSoftmax: translator.endsWithSoftmax)
        read.inputScaling = translator.inputScaling
        read.metadata = Dictionary(model.metadataProps.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        return read
    }

    /// A multi-layer perceptron (with its summary of hidden sizes and activation) when the
    /// layers are Dense, then one activation or PReLU, alternating, ending with a Dense;
    /// otherwise the plain layer list.
    private static func architecture(_ layers: [LayerDescription]) throws(NetworkError) -> Architecture {
        let plain = try Architecture(layers: layers)
        guard layers.count >= 3, layers.count % 2 == 1 else { return plain }
        let activation: HiddenActivation
        switch layers[1] {
        case .activation(let member, _): activation = .fixed(member)
        case .prelu(let options, _): activation = .prelu(options)
        default: return plain
        }
        let hidden = stride(from: 0, to: layers.count - 1, by: 2).map { layers[$0].outputSize }
        let candidate = try Architecture.multilayerPerceptron(
            inputSize: plain.inputSize, hiddenSizes: hidden, hiddenActivation: activation, outputSize: plain.outputSize)
        return candidate.layers == layers ? candidate : plain
    }

    /// Exactly one ai.onnx entry in `opset_import`, with a version in
    /// ``ONNXModel/supportedOpsets``. Other domains may be imported if no node uses them.
    private static func checkOpset(_ model: Onnx_ModelProto, file: String) throws(ONNXError) {
        let standard = model.opsetImport.filter { SupportedOperators.isStandardDomain($0.domain) }
        guard standard.count == 1 else {
            throw .unsupportedOpset(
                file: file, version: nil,
                detail: standard.isEmpty
                    ? "the model imports no ai.onnx operator set (opset_import); opset \(ONNXModel.supportedOpsets.lowerBound) or newer is needed"
                    : "the model imports the ai.onnx operator set \(standard.count) times; it must be once")
        }
        let version = standard[0].version
        let range = ONNXModel.supportedOpsets
        guard range.contains(version) else {
            throw .unsupportedOpset(
                file: file, version: version,
                detail: "supported: \(range.lowerBound) to \(range.upperBound)\(version < range.lowerBound ? "; convert it with onnx.version_converter" : "")")
        }
    }

    /// The input's element type and its feature dimensions (all but the batch, each a
    /// number ≥ 1, at most 2³¹ − 1 features in all).
    private static func inputForm(_ input: Onnx_ValueInfoProto, file: String) throws(ONNXError) -> (ONNXModel.Precision, [Int]) {
        let label = "input \(quoted(input.name))"
        guard case .tensorType(let tensor)? = input.type.value else {
            throw .invalidGraph(file: file, detail: "\(label) is not a tensor")
        }
        let precision: ONNXModel.Precision
        switch tensor.elemType {
        case Int32(Onnx_TensorProto.DataType.float.rawValue): precision = .float32
        case Int32(Onnx_TensorProto.DataType.double.rawValue): precision = .float64
        default:
            throw .unsupportedDataType(file: file, name: input.name, dataType: tensor.elemType, expected: "FLOAT (1) or DOUBLE (11)")
        }
        let dimensions = tensor.shape.dim
        guard tensor.hasShape, dimensions.count >= 2 else {
            throw .shapeMismatch(
                file: file, node: label,
                detail: "the input must be [batch, features…] with numeric feature sizes, got \(tensor.hasShape ? "rank \(dimensions.count)" : "no shape")")
        }
        if case .dimValue(let batch)? = dimensions[0].value, batch < 1 {
            throw .shapeMismatch(file: file, node: label, detail: "batch size \(batch) (allowed: ≥ 1 or symbolic)")
        }
        var features: [Int] = []
        var total = 1
        for dimension in dimensions.dropFirst() {
            guard case .dimValue(let size)? = dimension.value, size >= 1, size <= Int64(Int32.max) else {
                throw .shapeMismatch(file: file, node: label, detail: "each feature dimension must be a number ≥ 1, got \(describe(dimension))")
            }
            total = total.multipliedReportingOverflow(by: Int(size)).partialValue
            guard total <= Int(Int32.max) else {
                throw .shapeMismatch(file: file, node: label, detail: "more than 2³¹ − 1 features per sample")
            }
            features.append(Int(size))
        }
        return (precision, features)
    }

    private static func describe(_ dimension: Onnx_TensorShapeProto.Dimension) -> String {
        switch dimension.value {
        case .dimValue(let size)?: "\(size)"
        case .dimParam(let name)?: quoted(name)
        case nil: "an unknown size"
        }
    }
}
