import Activations
import Interchange
import Networks
import Testing

/// Each way a model can be malformed or unsupported gives its own one-line ``ONNXError``.
@Suite struct ONNXValidationTests {
    typealias B = ONNXBuild

    /// Reads `bytes`, expecting an error for which `matches` holds, whose description is
    /// one line and contains `phrase`.
    func expectError(
        _ bytes: [UInt8], _ phrase: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ matches: (ONNXError) -> Bool
    ) {
        guard let error = onnxError(bytes) else {
            Issue.record("the model was accepted", sourceLocation: sourceLocation)
            return
        }
        #expect(matches(error), "\(error)", sourceLocation: sourceLocation)
        #expect(error.description.hasPrefix("test.onnx: "), "\(error)", sourceLocation: sourceLocation)
        #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
        #expect(error.description.contains(phrase), "\(error)", sourceLocation: sourceLocation)
    }

    @Test func theBaseModelReads() throws {
        #expect(onnxError(B.gemmRelu()) == nil)
    }

    @Test func malformedProtobuf() {
        let valid = B.gemmRelu()
        for bytes in [Array(valid.dropLast(3)), [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F], [0xFF], [0x3A, 0x05, 0x01]] {
            expectError(bytes, "malformed protobuf") { if case .malformedProtobuf = $0 { true } else { false } }
        }
        // Unknown groups nested past the decoder's depth limit (100).
        let deep = [[UInt8]](repeating: [0x9B, 0x06], count: 200).flatMap { $0 } + [[UInt8]](repeating: [0x9C, 0x06], count: 200).flatMap { $0 }
        expectError(deep + valid, "messageDepthLimit") { if case .malformedProtobuf = $0 { true } else { false } }
    }

    @Test func opsets() {
        let graph = B.graph(nodes: [B.node("Relu", ["x"], ["y"])], inputs: [B.valueInfo("x", [.unknown, .value(2)])], outputs: [B.valueInfo("y", [])])
        for (opsets, phrase) in [
            ([("", Int64(12))], "opset 12"), ([("", 29)], "opset 29"), ([("com.microsoft", 1)], "no ai.onnx"),
            ([("", 13), ("ai.onnx", 14)], "2 times"), ([], "no ai.onnx"),
        ] {
            expectError(B.model(graph, opsets: opsets), phrase) { if case .unsupportedOpset = $0 { true } else { false } }
        }
        #expect(onnxError(B.model(graph, opsets: [("", 28), ("ai.onnx.ml", 3)])) == nil)
    }

    @Test func unsupportedOperatorsNameTheNode() {
        let cases: [([ProtoMessage], String)] = [
            ([B.node("LRN", ["x"], ["y"], name: "lrn1")], "unsupported operator 'LRN' at node 'lrn1'"),
            ([B.node("Relu", ["x"], ["h"]), B.node("Erf", ["h"], ["y"])], "unsupported operator 'Erf' at node #1 (Erf)"),
            ([B.node("Relu", ["x"], ["y"], name: "r", domain: "com.microsoft")], "'com.microsoft.Relu' at node 'r'"),
            ([B.node("Relu", ["x"], ["h"]), B.node("Add", ["h", "k"], ["y"], name: "add")], "'Add' at node 'add'; Add is read only as the bias"),
            ([B.node("Mul", ["x", "k"], ["y"], name: "scale")], "Mul is read only in Mul → Softplus → Div"),
            ([B.node("Softmax", ["x"], ["h"], name: "sm"), B.node("Relu", ["h"], ["y"])], "only as the last operation"),
        ]
        for (nodes, phrase) in cases {
            let bytes = B.chain(nodes, initializers: [B.tensor("k", [1], floats: [2])])
            expectError(bytes, phrase) { if case .unsupportedOperator = $0 { true } else { false } }
        }
    }

    @Test func missingInitializer() {
        let bytes = B.chain([B.node("Gemm", ["x", "w", "b"], ["y"], name: "fc")], initializers: [B.tensor("w", [2, 3], floats: [0, 0, 0, 0, 0, 0])])
        expectError(bytes, "node 'fc' reads 'b'") { $0 == .missingInitializer(file: "test.onnx", name: "b", node: "'fc'") }
    }

    @Test func graphsThatAreNotChains() {
        let k = B.tensor("k", [3], floats: [1, 1, 1])
        let cases: [([ProtoMessage], [String], String)] = [
            ([B.node("Relu", ["x"], ["r"]), B.node("Add", ["x", "r"], ["y"], name: "skip")], ["y"], "node 'skip' combines 2 computed values"),
            ([B.node("Relu", ["x"], ["y"]), B.node("Tanh", ["x"], ["z"])], ["y"], "'x' is read by 2 nodes"),
            ([B.node("Relu", ["x"], ["y"]), B.node("PRelu", ["k", "k"], ["z"], name: "stray")], ["y"], "node 'stray' reads only constants"),
            ([B.node("Relu", ["x"], ["h"]), B.node("Tanh", ["h"], ["y"])], ["h", "y"], "graph output 'h' is not the end"),
            ([B.node("Relu", ["x"], ["h"]), B.node("Tanh", ["h"], ["y"])], ["z"], "ends at 'y', which is not a graph output"),
            ([B.node("Relu", ["x"], ["h"]), B.node("Tanh", ["u"], ["u2"], name: "loop"), B.node("Sigmoid", ["u2"], ["u"])], ["h"], "not on the path"),
            ([B.node("PRelu", ["k", "x"], ["y"], name: "p")], ["y"], "reads the running value as input 1"),
        ]
        for (nodes, outputs, phrase) in cases {
            expectError(B.chain(nodes, initializers: [k], outputs: outputs), phrase) { if case .notAChain = $0 { true } else { false } }
        }
    }

    /// The formulas of SiLU, Mish and GELU read x more than once; they read as their member
    /// when every piece is the member's, and are refused as before when a constant differs or
    /// an inner value is also read outside the formula.
    @Test func formulasReadAsTheirMemberOnlyWhenExact() throws {
        let half = B.tensor("half", [], floats: [0.5]), one = B.tensor("one", [], floats: [1])
        let root = B.tensor("root", [], floats: [Float(0.5.squareRoot())])
        func gelu(_ half: String) -> [ProtoMessage] {
            [B.node("Mul", ["x", "root"], ["a"]), B.node("Erf", ["a"], ["b"]), B.node("Add", ["one", "b"], ["c"]),
             B.node("Mul", ["c", "x"], ["d"]), B.node("Mul", ["d", half], ["y"], name: "gelu")]
        }
        let constants = [half, one, root, B.tensor("other", [], floats: [0.6])]
        let read: [([ProtoMessage], Activation)] = [
            ([B.node("Sigmoid", ["x"], ["s"]), B.node("Mul", ["s", "x"], ["y"])], .silu),
            ([B.node("Softplus", ["x"], ["p"]), B.node("Tanh", ["p"], ["t"]), B.node("Mul", ["x", "t"], ["y"])], .mish),
            (gelu("half"), .gelu),
        ]
        for (nodes, member) in read {
            let model = try ONNXModel(onnx: B.chain(nodes, initializers: constants), source: "test.onnx")
            #expect(model.layers == [.activation(member, width: 3)], "\(member)")
        }
        let refused: [([ProtoMessage], [String], String)] = [
            (gelu("other"), ["y"], "combines 2 computed values ('c', 'x')"),
            ([B.node("Sigmoid", ["x"], ["s"]), B.node("Mul", ["s", "x"], ["y"], name: "silu"), B.node("Relu", ["s"], ["z"])],
             ["y"], "node 'silu' combines 2 computed values"),
            ([B.node("Sigmoid", ["x"], ["s"]), B.node("Mul", ["s", "s"], ["y"], name: "square")], ["y"], "combines 2 computed values"),
        ]
        for (nodes, outputs, phrase) in refused {
            guard let error = onnxError(B.chain(nodes, initializers: constants, outputs: outputs)) else {
                Issue.record("accepted: \(phrase)")
                continue
            }
            #expect(error.description.contains(phrase), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func invalidGraphs() {
        let input = B.valueInfo("x", [.unknown, .value(3)])
        let relu = B.node("Relu", ["x"], ["y"])
        let output = B.valueInfo("y", [])
        let w = B.tensor("w", [1], floats: [1])
        let cases: [([UInt8], String)] = [
            (B.model(nil), "the model has no graph"),
            (B.model(B.graph(nodes: [relu], inputs: [], outputs: [output])), "no input"),
            (B.model(B.graph(nodes: [relu], inputs: [input, B.valueInfo("z", [])], outputs: [output])), "2 inputs ('x', 'z')"),
            (B.model(B.graph(nodes: [relu], inputs: [input], outputs: [])), "no output"),
            (B.model(B.graph(nodes: [], inputs: [input], outputs: [B.valueInfo("x", [])])), "no operations"),
            (B.model(B.graph(nodes: [relu], initializers: [w, w], inputs: [input], outputs: [output])), "'w' appears twice"),
            (B.model(B.graph(nodes: [relu, B.node("Tanh", ["x"], ["y"])], inputs: [input], outputs: [output])), "'y' is produced twice"),
            (B.model(B.graph(nodes: [relu], inputs: [ProtoMessage { $0.string(1, "x") }], outputs: [output])), "input 'x' is not a tensor"),
        ]
        for (bytes, phrase) in cases {
            expectError(bytes, phrase) { if case .invalidGraph = $0 { true } else { false } }
        }
    }

    @Test func shapeMismatches() {
        let weights = B.tensor("w", [2, 3], floats: [1, 2, 3, 4, 5, 6])
        let cases: [([UInt8], String)] = [
            (B.gemmRelu(weights: B.tensor("w", [2, 4], floats: Array(repeating: 1, count: 8))), "maps 4 inputs to 2 outputs but meets 3"),
            (B.gemmRelu(weights: B.tensor("w", [6], floats: Array(repeating: 1, count: 6))), "B must be a matrix"),
            (B.chain([B.node("Gemm", ["x", "w", "c"], ["y"], attributes: [B.attribute("transB", int: 1)])], initializers: [weights, B.tensor("c", [3], floats: [1, 2, 3])]), "no bias for 2 outputs"),
            (B.chain([B.node("PRelu", ["x", "s"], ["y"])], initializers: [B.tensor("s", [2], floats: [1, 2])]), "PRelu slope of shape [2] for 3 units"),
            (B.chain([B.node("Gemm", ["x", "w"], ["y"])], initializers: [weights], inputDims: [.unknown, .value(1), .value(3)]), "add a Flatten first"),
            (B.chain([B.node("Relu", ["x"], ["y"])], inputDims: [.unknown]), "rank 1"),
            (B.chain([B.node("Relu", ["x"], ["y"])], inputDims: [.unknown, .parameter("F")]), "got 'F'"),
            (B.chain([B.node("Relu", ["x"], ["y"])], inputDims: [.value(0), .value(3)]), "batch size 0"),
            (B.chain([B.node("Relu", ["x"], ["y"])], inputDims: [.unknown, .value(1 << 20), .value(1 << 12)]), "2³¹ − 1"),
            (reshape([4, -1]), "Reshape target [4, -1]"),
            (reshape([-1, 2]), "Reshape target [-1, 2]"),
            (reshape([-1, 3, 1]), "Reshape target [-1, 3, 1]"),
        ]
        for (bytes, phrase) in cases {
            expectError(bytes, phrase) { if case .shapeMismatch = $0 { true } else { false } }
        }
    }

    private func reshape(_ target: [Int64]) -> [UInt8] {
        B.chain([B.node("Reshape", ["x", "s"], ["y"])], initializers: [B.tensor("s", [Int64(target.count)], ints: target)])
    }

    @Test func tensorsAndDataTypes() {
        let cases: [(ProtoMessage, String)] = [
            (B.tensor("w", [2, 3], floats: [1, 2, 3]), "raw_data has 12 bytes but shape [2, 3] needs 24"),
            (B.tensor("w", [2, 3], floats: [1, 2, 3], raw: false), "float_data has 3 values but shape [2, 3] needs 6"),
            (B.tensor("w", [2, -3], floats: []), "dimension -3"),
            (B.tensor("w", [1 << 40, 1 << 40], floats: []), "overflows"),
            (ProtoMessage { $0.packedInts(1, [2, 3]); $0.int(2, 1); $0.string(8, "w"); $0.int(14, 1) }, "external file"),
            (ProtoMessage { $0.packedInts(1, [2, 3]); $0.int(2, 1); $0.string(8, "w"); $0.message(3, ProtoMessage { $0.int(1, 0) }) }, "segmented"),
            (ProtoMessage { $0.packedInts(1, [2, 3]); $0.int(2, 1); $0.string(8, "w"); $0.packedInts(7, [1, 2, 3, 4, 5, 6]) }, "int64_data holds values"),
        ]
        for (tensor, phrase) in cases {
            expectError(B.gemmRelu(weights: tensor), phrase) { if case .invalidTensor = $0 { true } else { false } }
        }
        let half = ProtoMessage { $0.packedInts(1, [2, 3]); $0.int(2, B.float16); $0.string(8, "w"); $0.bytes(9, Array(repeating: 0, count: 12)) }
        expectError(B.gemmRelu(weights: half), "'w' has data type FLOAT16 (10); expected FLOAT (1)") {
            if case .unsupportedDataType = $0 { true } else { false }
        }
        let doubleInput = B.model(B.graph(
            nodes: [B.node("Gemm", ["x", "w"], ["y"])], initializers: [B.tensor("w", [2, 3], floats: [1, 2, 3, 4, 5, 6])],
            inputs: [B.valueInfo("x", elementType: B.double, [.unknown, .value(3)])], outputs: [B.valueInfo("y", [])]))
        expectError(doubleInput, "expected DOUBLE (11)") { if case .unsupportedDataType = $0 { true } else { false } }
        let int64Input = B.model(B.graph(
            nodes: [B.node("Relu", ["x"], ["y"])], inputs: [B.valueInfo("x", elementType: B.int64, [.unknown, .value(3)])],
            outputs: [B.valueInfo("y", [])]))
        expectError(int64Input, "'x' has data type INT64 (7); expected FLOAT (1) or DOUBLE (11)") {
            if case .unsupportedDataType = $0 { true } else { false }
        }
        let sparse = B.model(ProtoMessage { graph in
            graph.message(1, B.node("Gemm", ["x", "w"], ["y"]))
            graph.message(11, B.valueInfo("x", [.unknown, .value(3)]))
            graph.message(12, B.valueInfo("y", []))
            graph.message(15, ProtoMessage { $0.message(1, B.tensor("w", [1], floats: [1])); $0.packedInts(3, [2, 3]) })
        })
        expectError(sparse, "sparse initializers are not supported") { if case .invalidTensor = $0 { true } else { false } }
    }

    @Test func nonFiniteParameters() {
        for value in [Float.nan, .infinity, -.infinity] {
            expectError(B.gemmRelu(weights: B.tensor("w", [2, 3], floats: [1, 2, 3, 4, value, 6])), "at element 4") {
                $0 == .nonFiniteValue(file: "test.onnx", name: "w", index: 4)
            }
        }
    }

    @Test func attributes() {
        let unsupported: [([ProtoMessage], String)] = [
            ([B.attribute("transB", float: 1)], "has type FLOAT; expected INT"),
            ([B.attribute("gamma", float: 1)], "is not supported on Gemm (supported: alpha, beta, transA, transB)"),
            ([B.attribute("transB", int: 1), B.attribute("transB", int: 1)], "is given twice"),
        ]
        for (attributes, phrase) in unsupported {
            expectError(B.gemmRelu(gemmAttributes: attributes), phrase) { if case .unsupportedAttribute = $0 { true } else { false } }
        }
        let invalid: [([ProtoMessage], String)] = [
            ([B.attribute("transA", int: 1)], "'transA' is 1; supported: 0"),
            ([B.attribute("transB", int: 2)], "'transB' is 2; supported: 0, 1"),
            ([B.attribute("alpha", float: .nan)], "must be finite"),
        ]
        for (attributes, phrase) in invalid {
            expectError(B.gemmRelu(gemmAttributes: attributes), phrase) { if case .invalidAttribute = $0 { true } else { false } }
        }
        let softmaxAxis = B.chain([B.node("Softmax", ["x"], ["y"], attributes: [B.attribute("axis", int: 0)])])
        expectError(softmaxAxis, "'axis' is 0; supported: -1, 1") { if case .invalidAttribute = $0 { true } else { false } }
        let flattenAxis = B.chain([B.node("Flatten", ["x"], ["y"], attributes: [B.attribute("axis", int: 0)])])
        expectError(flattenAxis, "'axis' is 0") { if case .invalidAttribute = $0 { true } else { false } }
    }

    @Test func scaledSoftplusNeedsOneBeta() throws {
        let nodes = [
            B.node("Mul", ["x", "b1"], ["s"], name: "scale"), B.node("Softplus", ["s"], ["p"]), B.node("Div", ["p", "b2"], ["y"]),
        ]
        let same = B.chain(nodes, initializers: [B.tensor("b1", [], floats: [2]), B.tensor("b2", [1], floats: [2])])
        #expect(try ONNXModel(onnx: same).activations == [try .softplus(beta: 2)])
        let different = B.chain(nodes, initializers: [B.tensor("b1", [], floats: [2]), B.tensor("b2", [], floats: [3])])
        expectError(different, "same β > 0 (got 2.0 and 3.0)") { if case .unsupportedOperator = $0 { true } else { false } }
    }

    /// An initializer shared by many nodes is decoded for each: the reader stops once the
    /// values read exceed one per byte of the file, so sharing cannot multiply the memory a
    /// file costs without bound. Reading a shared initializer twice is fine.
    @Test func sharedInitializersAreChargedPerRead() throws {
        let width: Int64 = 256
        let slopes = B.tensor("s", [width], floats: Array(repeating: 0.5, count: Int(width)))
        func prelus(_ count: Int) -> [ProtoMessage] {
            (0..<count).map { B.node("PRelu", [$0 == 0 ? "x" : "p\($0 - 1)", "s"], [$0 == count - 1 ? "y" : "p\($0)"]) }
        }
        #expect(try ONNXModel(onnx: B.chain(prelus(2), initializers: [slopes], inputs: width)).layers.count == 2)
        expectError(B.chain(prelus(100), initializers: [slopes], inputs: width), "more parameter values than the file's size allows") {
            if case .invalidGraph = $0 { true } else { false }
        }
        let weights = B.tensor("w", [1, width], floats: Array(repeating: 1, count: Int(width)))
        let adds = (0..<200).map { B.node("Add", ["a\($0)", "k"], [$0 == 199 ? "y" : "a\($0 + 1)"]) }
        let manyAdds = B.chain([B.node("MatMul", ["x", "w"], ["a0"])] + adds, initializers: [weights, B.tensor("k", [], floats: [1])], inputs: 1)
        expectError(manyAdds, "more parameter values") { if case .invalidGraph = $0 { true } else { false } }
    }

    @Test func files() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: ONNXError.cannotOpen(file: directory.file("none.onnx"), errno: 2)) {
            try ONNXModel(contentsOfONNXFile: directory.file("none.onnx"))
        }
        #expect(throws: ONNXError.notRegularFile(file: directory.path)) {
            try ONNXModel(contentsOfONNXFile: directory.path)
        }
        try writeBytes([0x08], to: directory.file("bad.onnx"))
        #expect(throws: ONNXError.self) { try ONNXModel(contentsOfONNXFile: directory.file("bad.onnx")) }
    }

    @Test func invalidNetworksAreRefusedWhenMade() throws {
        func dense(_ weights: [Double]) throws -> Sequential<Double> {
            try doubleModel([.dense(inputs: 2, outputs: 1)], ["layers.0.weight": weights, "layers.0.bias": [0]])
        }
        for bad in [Double.nan, -.infinity] {
            let model = try dense([1, 2])
            model.parameters.values[1] = bad
            #expect(throws: ONNXError.self) { try ONNXModel(model) }
        }
        #expect(throws: ONNXError.self) { try ONNXModel(try dense([1e300, 2]), precision: .float32) }
        #expect(try ONNXModel(try dense([1e300, 2]), precision: .float64).model.outputSize == 1)
        let leaky = try doubleModel([.activation(try .leakyReLU(negativeSlope: 1e39), width: 2)], [:])
        #expect(throws: ONNXError.self) { try ONNXModel(leaky, precision: .float64) }
        let softplus = try doubleModel([.activation(try .softplus(beta: 1e39), width: 2)], [:])
        #expect(throws: ONNXError.self) { try ONNXModel(softplus, precision: .float32) }
        #expect(try ONNXModel(softplus, precision: .float64).precision == .float64)
    }
}
