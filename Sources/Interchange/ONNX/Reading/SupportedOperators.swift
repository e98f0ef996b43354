/// The ai.onnx operators the reader maps to layers, with the attributes it understands.
///
/// Every operator here kept its meaning from opset 13 to 28 (the later versions only add
/// element types), which is why that is the range accepted; Mish (opset 18) and Gelu
/// (opset 20) are read whatever the file's opset. Erf is read only inside GELU's formula
/// (see ``FormulaActivations``).
enum SupportedOperators {
    typealias Kind = Onnx_AttributeProto.AttributeType

    /// Operator name → its attributes' names and types.
    static let attributes: [String: [String: Kind]] = [
        "Gemm": ["alpha": .float, "beta": .float, "transA": .int, "transB": .int],
        "MatMul": [:],
        "Add": [:],
        "Relu": [:],
        "LeakyRelu": ["alpha": .float],
        "Elu": ["alpha": .float],
        "Selu": ["alpha": .float, "gamma": .float],
        "PRelu": [:],
        "Softplus": [:],
        "Sigmoid": [:],
        "Tanh": [:],
        "Gelu": ["approximate": .string],
        "Mish": [:],
        "Erf": [:],
        "Abs": [:],
        "Softmax": ["axis": .int],
        "Identity": [:],
        "Flatten": ["axis": .int],
        "Reshape": ["allowzero": .int],
        "Mul": [:],
        "Sub": [:],
        "Div": [:],
        "Constant": ["value": .tensor],
        "Conv": ["kernel_shape": .ints, "strides": .ints, "pads": .ints, "dilations": .ints, "group": .int, "auto_pad": .string],
        "MaxPool": ["kernel_shape": .ints, "strides": .ints, "pads": .ints, "dilations": .ints, "ceil_mode": .int,
                    "storage_order": .int, "auto_pad": .string],
        "AveragePool": ["kernel_shape": .ints, "strides": .ints, "pads": .ints, "ceil_mode": .int,
                        "count_include_pad": .int, "auto_pad": .string],
        "GlobalAveragePool": [:],
        "BatchNormalization": ["epsilon": .float, "momentum": .float, "training_mode": .int],
        "Dropout": ["seed": .int],
    ]

    /// The list for error messages.
    static let names = attributes.keys.sorted().joined(separator: ", ")

    /// True for the ai.onnx domain, spelled `""` or `"ai.onnx"`.
    static func isStandardDomain(_ domain: String) -> Bool {
        domain.isEmpty || domain == "ai.onnx"
    }
}

extension ONNXModel {
    /// The ai.onnx operator-set versions the reader accepts: 13 (the first with today's
    /// Softmax) to 28 (the newest the pinned `onnx` package knows).
    public static let supportedOpsets: ClosedRange<Int64> = 13...28
}
