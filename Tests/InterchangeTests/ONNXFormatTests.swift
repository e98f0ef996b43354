import Activations
import Foundation
import Interchange
import Networks
import Testing

/// What the writer produces reads back as the same network; hand-built models in the forms
/// other exporters use read as the network they mean.
@Suite struct ONNXFormatTests {
    @Test(arguments: exportedActivations)
    func writtenNetworksReadBackUnchanged(activation: Activation) throws {
        for precision in [ONNXModel.Precision.float32, .float64] {
            let network = try sampleNetwork(activation, precision: precision, prelu: [0.25, -0.5, 1, 0, 2], softmax: true)
            let bytes = network.onnxBytes()
            #expect(try ONNXModel(onnx: bytes) == network, "\(activation) \(precision)")
            #expect(network.onnxBytes() == bytes, "the same network must give the same bytes")
        }
    }

    @Test func sharedSlopeAndNoSoftmaxReadBack() throws {
        let network = try sampleNetwork(.relu, prelu: [0.125])
        #expect(try ONNXModel(onnx: network.onnxBytes()) == network)
    }

    @Test func leakySlopeKeepsItsDecimalValue() throws {
        // 0.01 is stored as the float 0.00999999977648258; it must come back as 0.01.
        let network = try sampleNetwork(try .leakyReLU(negativeSlope: 0.01), precision: .float64)
        let read = try ONNXModel(onnx: network.onnxBytes())
        guard case .activation(.leakyReLU(let leaky), _) = read.layers[1] else {
            Issue.record("layer 1 is \(read.layers[1])")
            return
        }
        #expect(leaky.negativeSlope == 0.01)
    }

    @Test func float32RoundsParametersOnWrite() throws {
        let exact = try sampleNetwork(.tanh, precision: .float64)
        let rounded = try ONNXModel(exact.model, precision: .float32)
        let read = try ONNXModel(onnx: rounded.onnxBytes())
        let original = try exact.tensor("layers.0.weight")
        let stored = try read.tensor("layers.0.weight")
        #expect(stored == original.map { Double(Float($0)) })
        #expect(stored != original)
    }

    @Test func writesToAFileAtomically() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let network = try sampleNetwork(.sigmoid)
        let path = directory.file("model.onnx")
        try network.writeONNX(to: path)
        #expect(try readBytes(path) == network.onnxBytes())
        #expect(try ONNXModel(contentsOfONNXFile: path) == network)
        #expect(try directory.contents() == ["model.onnx"])
        #expect(throws: ONNXError.self) { try network.writeONNX(to: directory.file("missing/model.onnx")) }
    }

    /// Gemm with transB = 0, α and β: W = α·Bᵀ, b = β·C, checked value by value.
    @Test func gemmAlphaBetaAndTransposeAreFolded() throws {
        let bytes = ONNXBuild.gemmRelu(
            weights: ONNXBuild.tensor("w", [3, 2], floats: [1, 2, 3, 4, 5, 6]),
            gemmAttributes: [ONNXBuild.attribute("alpha", float: 0.5), ONNXBuild.attribute("beta", float: 2)])
        let network = try ONNXModel(onnx: bytes)
        // B is [in 3, out 2]: row o of W is column o of B, times α.
        #expect(network.layers == [.dense(inputs: 3, outputs: 2), .activation(.relu, width: 2)])
        #expect(try network.tensor("layers.0.weight") == [0.5, 1.5, 2.5, 1, 2, 3])
        #expect(try network.tensor("layers.0.bias") == [1, -1])
    }

    /// MatMul + Add (bias on either side, [1, N] or [N]), float_data storage, Flatten of a
    /// [N, 1, 2, 2] input, a Constant Reshape target, Identity.
    @Test func matMulAddFlattenAndReshapeRead() throws {
        let bytes = ONNXBuild.chain(
            [
                ONNXBuild.node("Flatten", ["x"], ["f"]),
                ONNXBuild.node("MatMul", ["f", "w"], ["m"]),
                ONNXBuild.node("Add", ["b", "m"], ["h"]),
                ONNXBuild.node("Constant", [], ["shape"], attributes: [
                    ONNXBuild.attribute("value", tensor: ONNXBuild.tensor("", [2], ints: [0, -1])),
                ]),
                ONNXBuild.node("Reshape", ["h", "shape"], ["r"]),
                ONNXBuild.node("Identity", ["r"], ["y"]),
            ],
            initializers: [
                ONNXBuild.tensor("w", [4, 1], floats: [1, 2, 3, 4], raw: false),
                ONNXBuild.tensor("b", [1, 1], floats: [0.25]),
            ],
            inputDims: [.unknown, .value(1), .value(2), .value(2)])
        let network = try ONNXModel(onnx: bytes)
        #expect(network.model.inputSize == 4)
        #expect(network.layers == [.dense(inputs: 4, outputs: 1), .activation(.identity, width: 1)])
        #expect(try network.tensor("layers.0.weight") == [1, 2, 3, 4])
        #expect(try network.tensor("layers.0.bias") == [0.25])
        #expect(try network.reference([1, 1, 1, 1, 0, 0, 0, -1], rows: 2) == [10.25, -3.75])
    }

    @Test func referenceEvaluationFollowsTheFormulas() throws {
        let model = try doubleModel(
            [.dense(inputs: 2, outputs: 2), .prelu(try PReLUOptions(), width: 2)],
            ["layers.0.weight": [1, -1, 2, 0.5], "layers.0.bias": [0, -4], "layers.1.slopes": [0.5, 0.25]])
        let network = try ONNXModel(model, endsWithSoftmax: true)
        // Row [3, 1]: dense → [2, 2.5]; row [0, 2]: dense → [−2, −3] → prelu → [−1, −0.75].
        let outputs = try network.reference([3, 1, 0, 2], rows: 2)
        let expected = [[2.0, 2.5], [-1, -0.75]].flatMap { row in
            let total = row.map { Foundation.exp($0) }.reduce(0, +)
            return row.map { Foundation.exp($0) / total }
        }
        #expect(zip(outputs, expected).allSatisfy { abs($0 - $1) <= 1e-15 })
        #expect(throws: NetworkError.self) { try network.outputs(Matrix(rows: 1, columns: 3)) }
    }
}
