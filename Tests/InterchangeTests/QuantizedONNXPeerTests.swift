import Foundation
import Interchange
import Quantization
import Testing

/// int8 models exported as QuantizeLinear / MatMulInteger / DequantizeLinear run in
/// onnxruntime (peer venv) and give Rectifier's integer-only predictions.
///
/// Agreement criterion: the accumulators are the same integers; only a requantisation whose
/// fixed-point rounding (Rectifier) and Float rounding (ONNX Runtime) fall on different sides
/// of a half can move a code by one. So each row's logits must equal Rectifier's within
/// Float rounding of the last scale (1e−5 relative) on ≥ 99 % of rows, and the predicted
/// classes must agree on ≥ 99 % of rows. (Measured: every row equal, for every activation.)
@Suite(.serialized) struct QuantizedONNXPeerTests {
    static let rows = 400

    @Test(arguments: [
        "relu", "leaky:0.05", "prelu", "prelu:shared", "softplus", "sigmoid", "tanh", "abs",
        "gelu", "gelu:tanh", "silu", "elu", "selu", "mish",
    ])
    func onnxRuntimeRunsTheInt8ModelWithOurPredictions(_ activation: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (_, network) = try sampleQuantizedModel(activation, seed: 9)
        let path = directory.file("int8.onnx")
        try network.writeONNX(to: path)
        let batch = sampleBatch(rows: Self.rows, width: network.inputSize, seed: 10)
        let runtime = try #require(
            ONNXPeerTests.runtimeOutputs([path], batch: batch, rows: Self.rows, in: directory)[0]["logits"])
        let ours = try network.logits(batch.map(Float.init)).map(Double.init)
        try #require(runtime.count == ours.count)
        let outputs = network.outputSize
        var equalRows = 0
        for row in 0..<Self.rows {
            let range = row * outputs..<(row + 1) * outputs
            let size = ours[range].map(abs).max() ?? 0
            if ONNXPeerTests.maximumDifference(Array(ours[range]), Array(runtime[range])) <= 1e-5 * max(size, 1e-3) {
                equalRows += 1
            }
        }
        let predicted = QuantizedNetwork.predictedClasses(logits: ours.map(Float.init), outputs: outputs)
        let theirs = QuantizedNetwork.predictedClasses(logits: runtime.map(Float.init), outputs: outputs)
        let agreement = Double(zip(predicted, theirs).filter { $0 == $1 }.count) / Double(Self.rows)
        #expect(Double(equalRows) >= 0.99 * Double(Self.rows), "\(activation): \(equalRows) of \(Self.rows) rows equal")
        #expect(agreement >= 0.99, "\(activation): prediction agreement \(agreement)")
    }
}
