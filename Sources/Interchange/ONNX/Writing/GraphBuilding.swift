/// The pieces both ONNX writers (``ModelWriter`` for floating-point networks,
/// ``QuantizedModelWriter`` for int8 ones) build their graphs from.

extension Onnx_ModelProto {
    /// The ai.onnx operator set the writers target: 13, loaded by every runtime from 2021 on.
    static let rectifierOpset: Int64 = 13
    /// The IR version that goes with opset 13.
    static let rectifierIRVersion: Int64 = 7

    /// A model holding `graph`, produced by "Rectifier", importing the default domain at
    /// ``rectifierOpset``.
    static func rectifier(_ graph: Onnx_GraphProto) -> Onnx_ModelProto {
        var model = Onnx_ModelProto()
        model.irVersion = rectifierIRVersion
        model.producerName = "Rectifier"
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = rectifierOpset
        model.opsetImport = [opset]
        model.graph = graph
        return model
    }
}

extension Onnx_GraphProto {
    /// Appends the node `name` applying `op` to `inputs`, with one output.
    mutating func addNode(
        _ op: String, _ name: String, inputs: [String], output: String, attributes: [Onnx_AttributeProto] = []
    ) {
        var node = Onnx_NodeProto()
        node.name = name
        node.opType = op
        node.input = inputs
        node.output = [output]
        node.attribute = attributes
        self.node.append(node)
    }
}

extension Onnx_ValueInfoProto {
    /// A graph input or output `name` of shape `[batch, width]` (`batch` symbolic).
    static func matrix(_ name: String, width: Int, elementType: Onnx_TensorProto.DataType) -> Onnx_ValueInfoProto {
        var batch = Onnx_TensorShapeProto.Dimension()
        batch.dimParam = "batch"
        var features = Onnx_TensorShapeProto.Dimension()
        features.dimValue = Int64(width)
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(elementType.rawValue)
        tensor.shape.dim = [batch, features]
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type.tensorType = tensor
        return info
    }
}

extension Onnx_AttributeProto {
    /// An `INT` attribute.
    static func integer(_ name: String, _ value: Int64) -> Onnx_AttributeProto {
        named(name, .int) { $0.i = value }
    }

    /// A `FLOAT` (32-bit) attribute.
    static func float(_ name: String, _ value: Float) -> Onnx_AttributeProto {
        named(name, .float) { $0.f = value }
    }

    private static func named(
        _ name: String, _ type: AttributeType, value: (inout Onnx_AttributeProto) -> Void
    ) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = type
        value(&attribute)
        return attribute
    }
}
