#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Activations

/// The pieces both ONNX writers (``ModelWriter`` for floating-point networks,
/// ``QuantizedModelWriter`` for int8 ones) build their graphs from, and the one mapping
/// between the family and ONNX operators that they and the reader share.

/// Each member of the family as ai.onnx operators: the main operator's name, and the short
/// name the int8 writer gives its nodes. LeakyRelu's and Elu's `alpha` and Selu's `alpha`
/// and `gamma` are 32-bit float attributes; softplus with β ≠ 1 is
/// `Mul(x, β) → Softplus → Div(·, β)`, since ONNX's Softplus has neither β nor a threshold
/// (it is `log(1 + exp(x))` everywhere). Opset 13 has no Gelu, SiLU or Mish operator, so
/// those are written as their formulas (see ``Onnx_GraphProto/addActivation``).
enum ActivationOperators {
    static func of(_ activation: Activation) -> (op: String, short: String) {
        switch activation {
        case .identity: ("Identity", "identity")
        case .relu: ("Relu", "relu")
        case .leakyReLU: ("LeakyRelu", "leaky")
        case .abs: ("Abs", "abs")
        case .softplus: ("Softplus", "softplus")
        case .sigmoid: ("Sigmoid", "sigmoid")
        case .tanh: ("Tanh", "tanh")
        case .gelu(let f): f.approximation == .tanh ? ("Tanh", "gelu_tanh") : ("Erf", "gelu")
        case .silu: ("Sigmoid", "silu")
        case .elu: ("Elu", "elu")
        case .selu: ("Selu", "selu")
        case .mish: ("Tanh", "mish")
        }
    }

    /// Operator → member with its default parameters (the reader's side of the mapping), for
    /// the members that are one operator without attributes.
    static let members = Dictionary(
        uniqueKeysWithValues: [Activation.identity, .relu, .abs, .softplus, .sigmoid, .tanh].map { (of($0).op, $0) })
}

/// How the nodes and values of one activation are named in a graph.
struct ActivationNodeNames {
    var node: String, beta: String, scale: String, scaled: String, softplus: String, unscale: String

    /// The float writer's names, under `layer` (`layers.i`).
    init(layer: String) {
        (node, beta, scale, scaled, softplus, unscale) =
            (layer, layer + ".beta", layer + ".scale", layer + ".scaled", layer + ".softplus", layer + ".unscale")
    }

    /// The int8 writer's names, under `layer`, the node named by the operator.
    init(layer: String, activation: Activation) {
        (node, beta, scale, scaled, softplus, unscale) = (
            layer + "." + ActivationOperators.of(activation).short, layer + ".beta", layer + ".beta_scale",
            layer + ".scaled", layer + ".softplus_scaled", layer + ".beta_unscale"
        )
    }
}

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

extension Onnx_GraphProto {
    /// Appends the nodes of `activation` from `input` to `output` (see
    /// ``ActivationOperators``); `beta(name, c)` is a scalar initializer c in the writer's
    /// element type (softplus's β, the constants of the written-out formulas):
    ///
    /// ```
    /// silu:      Mul(x, Sigmoid(x))
    /// mish:      Mul(x, Tanh(Softplus(x)))
    /// gelu:      Mul(Mul(x, Add(Erf(Mul(x, √½)), 1)), ½)
    /// gelu:tanh: Mul(Mul(x, Add(Tanh(Mul(Add(x, Mul(Mul(Mul(x, x), x), c)), √(2/π))), 1)), ½)
    /// ```
    mutating func addActivation(
        _ activation: Activation, input: String, output: String, names: ActivationNodeNames,
        beta: (String, Double) -> Onnx_TensorProto
    ) {
        let op = ActivationOperators.of(activation).op
        var step = 0
        /// The next node of a written-out formula: `op(inputs)`, named `node.k`, output `node.k`
        /// (or `output` for the last).
        func next(_ op: String, _ inputs: [String], last: Bool = false) -> String {
            step += 1
            let name = names.node + ".\(step)"
            addNode(op, name, inputs: inputs, output: last ? output : name)
            return last ? output : name
        }
        func constant(_ suffix: String, _ value: Double) -> String {
            initializer.append(beta(names.node + "." + suffix, value))
            return names.node + "." + suffix
        }
        switch activation {
        case .leakyReLU(let leaky):
            addNode(op, names.node, inputs: [input], output: output, attributes: [.float("alpha", Float(leaky.negativeSlope))])
        case .elu(let elu):
            addNode(op, names.node, inputs: [input], output: output, attributes: [.float("alpha", Float(elu.alpha))])
        case .selu:
            addNode(
                op, names.node, inputs: [input], output: output,
                attributes: [.float("alpha", Float(SELU.alpha)), .float("gamma", Float(SELU.lambda))])
        case .silu:
            _ = next("Mul", [input, next("Sigmoid", [input])], last: true)
        case .mish:
            _ = next("Mul", [input, next("Tanh", [next("Softplus", [input])])], last: true)
        case .gelu(let gelu) where gelu.approximation == .none:
            let phi = next("Add", [next("Erf", [next("Mul", [input, constant("sqrt_half", 0.5.squareRoot())])]), constant("one", 1)])
            _ = next("Mul", [next("Mul", [input, phi]), constant("half", 0.5)], last: true)
        case .gelu:
            let cube = next("Mul", [next("Mul", [input, input]), input])
            let inner = next("Add", [input, next("Mul", [cube, constant("c", 0.044715)])])
            let z = next("Mul", [inner, constant("k", (2 / Double.pi).squareRoot())])
            let phi = next("Add", [next("Tanh", [z]), constant("one", 1)])
            _ = next("Mul", [next("Mul", [input, phi]), constant("half", 0.5)], last: true)
        case .softplus(let softplus) where softplus.beta != 1:
            initializer.append(beta(names.beta, softplus.beta))
            addNode("Mul", names.scale, inputs: [input, names.beta], output: names.scaled)
            addNode(op, names.node, inputs: [names.scaled], output: names.softplus)
            addNode("Div", names.unscale, inputs: [names.softplus, names.beta], output: output)
        default:
            addNode(op, names.node, inputs: [input], output: output)
        }
    }
}

extension Onnx_TensorProto {
    /// An initializer holding `values` as little-endian `raw_data` (bit patterns for floats).
    static func initializer<Values: Collection>(
        _ name: String, _ type: DataType, shape: [Int], _ values: Values
    ) -> Onnx_TensorProto where Values.Element: FixedWidthInteger {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = shape.map(Int64.init)
        tensor.dataType = Int32(type.rawValue)
        let width = MemoryLayout<Values.Element>.size
        tensor.rawData = Data(count: values.count * width)
        tensor.rawData.withUnsafeMutableBytes { bytes in
            for (index, value) in values.enumerated() {
                bytes.storeBytes(of: value.littleEndian, toByteOffset: index * width, as: Values.Element.self)
            }
        }
        return tensor
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
