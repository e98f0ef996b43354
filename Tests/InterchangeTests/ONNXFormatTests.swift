import Activations
import Foundation
import Interchange
import Testing

/// What the writer produces reads back as the same network; hand-built models in the forms
/// other exporters use read as the network they mean.
@Suite struct ONNXFormatTests {
    @Test(arguments: exportedActivations)
    func writtenNetworksReadBackUnchanged(activation: Activation) throws {
        for precision in [PortableNetwork.Precision.float32, .float64] {
            let network = try sampleNetwork(activation, precision: precision, prelu: [0.25, -0.5, 1, 0, 2], softmax: true)
            let bytes = network.onnxBytes()
            #expect(try PortableNetwork(onnx: bytes) == network, "\(activation) \(precision)")
            #expect(network.onnxBytes() == bytes, "the same network must give the same bytes")
        }
    }

    @Test func sharedSlopeAndNoSoftmaxReadBack() throws {
        let network = try sampleNetwork(.relu, prelu: [0.125])
        #expect(try PortableNetwork(onnx: network.onnxBytes()) == network)
    }

    @Test func leakySlopeKeepsItsDecimalValue() throws {
        // 0.01 is stored as the float 0.00999999977648258; it must come back as 0.01.
        let network = try sampleNetwork(try .leakyReLU(negativeSlope: 0.01), precision: .float64)
        let read = try PortableNetwork(onnx: network.onnxBytes())
        guard case .activation(.leakyReLU(let leaky)) = read.layers[1] else {
            Issue.record("layer 1 is \(read.layers[1])")
            return
        }
        #expect(leaky.negativeSlope == 0.01)
    }

    @Test func float32RoundsParametersOnWrite() throws {
        let exact = try sampleNetwork(.tanh, precision: .float64)
        let layers = exact.layers
        let rounded = try PortableNetwork(inputSize: exact.inputSize, layers: layers, precision: .float32)
        let read = try PortableNetwork(onnx: rounded.onnxBytes())
        guard case .dense(let original) = layers[0], case .dense(let stored) = read.layers[0] else {
            Issue.record("layer 0 is not dense")
            return
        }
        #expect(stored.weights == original.weights.map { Double(Float($0)) })
        #expect(stored.weights != original.weights)
    }

    @Test func writesToAFileAtomically() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let network = try sampleNetwork(.sigmoid)
        let path = directory.file("model.onnx")
        try network.writeONNX(to: path)
        #expect(try readBytes(path) == network.onnxBytes())
        #expect(try PortableNetwork(contentsOfONNXFile: path) == network)
        #expect(try directory.contents() == ["model.onnx"])
        #expect(throws: ONNXError.self) { try network.writeONNX(to: directory.file("missing/model.onnx")) }
    }

    /// Gemm with transB = 0, α and β: W = α·Bᵀ, b = β·C, checked value by value.
    @Test func gemmAlphaBetaAndTransposeAreFolded() throws {
        let bytes = ONNXBuild.gemmRelu(
            weights: ONNXBuild.tensor("w", [3, 2], floats: [1, 2, 3, 4, 5, 6]),
            gemmAttributes: [ONNXBuild.attribute("alpha", float: 0.5), ONNXBuild.attribute("beta", float: 2)])
        let network = try PortableNetwork(onnx: bytes)
        guard case .dense(let dense) = network.layers[0] else {
            Issue.record("layer 0 is \(network.layers[0])")
            return
        }
        // B is [in 3, out 2]: row o of W is column o of B, times α.
        #expect(dense.weights == [0.5, 1.5, 2.5, 1, 2, 3])
        #expect(dense.bias == [1, -1])
        #expect(network.layers[1] == .activation(.relu))
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
        let network = try PortableNetwork(onnx: bytes)
        #expect(network.inputSize == 4)
        #expect(network.layers == [
            .dense(try .init(inputs: 4, outputs: 1, weights: [1, 2, 3, 4], bias: [0.25])),
            .activation(.identity),
        ])
        #expect(try network.evaluate([1, 1, 1, 1, 0, 0, 0, -1], batchSize: 2) == [10.25, -3.75])
    }

    @Test func referenceEvaluationFollowsTheFormulas() throws {
        let network = try PortableNetwork(
            inputSize: 2,
            layers: [
                .dense(try .init(inputs: 2, outputs: 2, weights: [1, -1, 2, 0.5], bias: [0, -4])),
                .prelu(slopes: [0.5, 0.25]),
            ],
            endsWithSoftmax: true)
        // Row [3, 1]: dense → [2, 2.5]; row [0, 2]: dense → [−2, −3] → prelu → [−1, −0.75].
        let outputs = try network.evaluate([3, 1, 0, 2], batchSize: 2)
        let expected = [[2.0, 2.5], [-1, -0.75]].flatMap { row in
            let total = row.map { Foundation.exp($0) }.reduce(0, +)
            return row.map { Foundation.exp($0) / total }
        }
        #expect(zip(outputs, expected).allSatisfy { abs($0 - $1) <= 1e-15 })
        #expect(throws: ONNXError.self) { try network.evaluate([1, 2, 3], batchSize: 2) }
    }
}
