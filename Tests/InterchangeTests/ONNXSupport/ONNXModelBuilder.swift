import Interchange

/// ONNX messages built by hand with the upstream field numbers (onnx.proto), for tests that
/// need models the writer would never make.
enum ONNXBuild {
    static let float: Int64 = 1
    static let int64: Int64 = 7
    static let double: Int64 = 11
    static let float16: Int64 = 10

    enum Dimension {
        case value(Int64)
        case parameter(String)
        case unknown
    }

    /// An attribute; `type` is ONNX's AttributeType (FLOAT 1, INT 2, TENSOR 4).
    static func attribute(_ name: String, float value: Float) -> ProtoMessage {
        ProtoMessage { $0.string(1, name); $0.int(20, 1); $0.float(2, value) }
    }

    static func attribute(_ name: String, int value: Int64) -> ProtoMessage {
        ProtoMessage { $0.string(1, name); $0.int(20, 2); $0.int(3, value) }
    }

    static func attribute(_ name: String, tensor: ProtoMessage) -> ProtoMessage {
        ProtoMessage { $0.string(1, name); $0.int(20, 4); $0.message(5, tensor) }
    }

    static func node(
        _ op: String, _ inputs: [String], _ outputs: [String], name: String = "",
        attributes: [ProtoMessage] = [], domain: String? = nil
    ) -> ProtoMessage {
        ProtoMessage { message in
            for input in inputs { message.string(1, input) }
            for output in outputs { message.string(2, output) }
            if !name.isEmpty { message.string(3, name) }
            message.string(4, op)
            for attribute in attributes { message.message(5, attribute) }
            if let domain { message.string(7, domain) }
        }
    }

    /// A FLOAT tensor in `raw_data` (or in `float_data` when `raw` is false).
    static func tensor(_ name: String, _ dims: [Int64], floats values: [Float], raw: Bool = true) -> ProtoMessage {
        ProtoMessage { message in
            message.packedInts(1, dims)
            message.int(2, float)
            message.string(8, name)
            if raw {
                message.bytes(9, values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
            } else {
                message.packedFloats(4, values)
            }
        }
    }

    /// An INT64 tensor in `int64_data`.
    static func tensor(_ name: String, _ dims: [Int64], ints values: [Int64]) -> ProtoMessage {
        ProtoMessage { $0.packedInts(1, dims); $0.int(2, int64); $0.string(8, name); $0.packedInts(7, values) }
    }

    static func valueInfo(_ name: String, elementType: Int64 = float, _ dims: [Dimension]) -> ProtoMessage {
        let shape = ProtoMessage { shape in
            for dim in dims {
                shape.message(1, ProtoMessage { entry in
                    switch dim {
                    case .value(let size): entry.int(1, size)
                    case .parameter(let name): entry.string(2, name)
                    case .unknown: break
                    }
                })
            }
        }
        let tensorType = ProtoMessage { $0.int(1, elementType); $0.message(2, shape) }
        return ProtoMessage { $0.string(1, name); $0.message(2, ProtoMessage { $0.message(1, tensorType) }) }
    }

    static func graph(
        nodes: [ProtoMessage], initializers: [ProtoMessage] = [], inputs: [ProtoMessage], outputs: [ProtoMessage]
    ) -> ProtoMessage {
        ProtoMessage { message in
            for node in nodes { message.message(1, node) }
            message.string(2, "test")
            for tensor in initializers { message.message(5, tensor) }
            for input in inputs { message.message(11, input) }
            for output in outputs { message.message(12, output) }
        }
    }

    /// A model importing `opsets` (domain, version) pairs.
    static func model(_ graph: ProtoMessage?, opsets: [(String, Int64)] = [("", 13)], irVersion: Int64 = 8) -> [UInt8] {
        ProtoMessage { message in
            message.int(1, irVersion)
            for (domain, version) in opsets {
                message.message(8, ProtoMessage { $0.string(1, domain); $0.int(2, version) })
            }
            if let graph { message.message(7, graph) }
        }.bytes
    }

    /// `x [N, inputs] → nodes → y`, with `initializers`; `y` must be the last node's output.
    static func chain(
        _ nodes: [ProtoMessage], initializers: [ProtoMessage] = [], inputs: Int64 = 3,
        inputDims: [Dimension]? = nil, outputs: [String] = ["y"], opset: Int64 = 13
    ) -> [UInt8] {
        let input = valueInfo("x", inputDims ?? [.parameter("N"), .value(inputs)])
        return model(
            graph(nodes: nodes, initializers: initializers, inputs: [input], outputs: outputs.map { valueInfo($0, [.parameter("N")]) }),
            opsets: [("", opset)])
    }

    /// A small valid model: Gemm 3→2 (transB=1) then Relu.
    static func gemmRelu(weights: ProtoMessage? = nil, gemmAttributes: [ProtoMessage]? = nil) -> [UInt8] {
        chain(
            [
                node("Gemm", ["x", "w", "b"], ["h"], name: "fc", attributes: gemmAttributes ?? [attribute("transB", int: 1)]),
                node("Relu", ["h"], ["y"], name: "relu"),
            ],
            initializers: [
                weights ?? tensor("w", [2, 3], floats: [1, 2, 3, 4, 5, 6]),
                tensor("b", [2], floats: [0.5, -0.5]),
            ])
    }
}

/// The error reading `bytes` gives, or nil if they read.
func onnxError(_ bytes: [UInt8]) -> ONNXError? {
    do {
        _ = try ONNXModel(onnx: bytes, source: "test.onnx")
        return nil
    } catch {
        return error
    }
}
