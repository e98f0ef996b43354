import Foundation
import Interchange
import Networks
import Quantization
import Runtime
import Testing

/// int8 models exported as QuantizeLinear / MatMulInteger / ConvInteger / DequantizeLinear
/// run in onnxruntime (peer venv) and give Rectifier's integer-only predictions.
///
/// Agreement criterion for perceptrons: the accumulators are the same integers; only a requantisation whose
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

    /// Two convolutional networks: a `same` and a strided `same` convolution (asymmetric
    /// padding), batch norm folded, max pooling, average pooling with an even window, a Dense
    /// layer after a 6×2×2 image (its columns back in C·H·W order); and a `valid` convolution,
    /// average pooling with an odd window, global average pooling.
    static func convolutionalNetworks(_ activation: String) throws -> [QuantizedNetwork] {
        let specifications = [
            ("conv:4x3:pad=same,maxpool:2,conv:6x3:stride=2,pad=same,batchnorm,avgpool:2,dense:8",
             try ImageShape(channels: 2, height: 16, width: 16)),
            ("conv:4x3,avgpool:3,conv:5x2,gap,dense:6", try ImageShape(channels: 1, height: 11, width: 11)),
        ]
        return try specifications.enumerated().map { index, entry in
            let architecture = try Architecture.fromLayerSpecification(
                entry.0, input: entry.1, hiddenActivation: try HiddenActivation(parsing: activation), outputSize: 4)
            let model = try ConvolutionalONNXTests.model(architecture, seed: 20 + UInt64(index))
            var generator = SeededGenerator(seed: 30 + UInt64(index))
            let calibration = Matrix<Float>(rows: 64, columns: architecture.inputSize) { buffer in
                generator.fillUniform(buffer, lower: 0, upper: 1)
            }
            return try QuantizedNetwork.quantize(model, calibration: calibration)
        }
    }

    /// Agreement criterion: the accumulators, max pooling and average pooling are the same
    /// integers; a requantised code can differ by one (see above) and the difference then
    /// travels through the layers after it. So every row's logits must lie within one step of
    /// every input of the last layer (`s_in·s_j·Σ_k |w_jk|`) of Rectifier's, ≥ 95 % of rows
    /// must equal them within Float rounding, and ≥ 99 % of predicted classes must agree.
    /// (Measured with onnxruntime 1.32: every row equal, for every activation and network.)
    @Test(arguments: ["relu", "sigmoid", "prelu:shared"])
    func onnxRuntimeRunsConvolutionalInt8ModelsWithOurPredictions(_ activation: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let networks = try Self.convolutionalNetworks(activation)
        for (index, network) in networks.enumerated() {
            let path = directory.file("conv\(index).onnx")
            try network.writeONNX(to: path)
            var generator = SeededGenerator(seed: 40 + UInt64(index))
            let batch = (0..<Self.rows * network.inputSize).map { _ in Double(Float(Double.random(in: 0...1, using: &generator))) }
            let runtime = try #require(
                ONNXPeerTests.runtimeOutputs([path], batch: batch, rows: Self.rows, in: directory)[0]["logits"])
            let ours = try network.logits(batch.map(Float.init)).map(Double.init)
            try #require(runtime.count == ours.count)
            let last = network.layers[network.layers.count - 1]
            let step = (0..<last.units).map { unit in
                last.biasScales[unit] * Double(last.weights.values[unit * last.inputs..<(unit + 1) * last.inputs].reduce(0) { $0 + abs(Int($1)) })
            }
            var equalRows = 0, withinStep = 0
            for row in 0..<Self.rows {
                let range = row * last.units..<(row + 1) * last.units
                let size = ours[range].map(abs).max() ?? 0
                if ONNXPeerTests.maximumDifference(Array(ours[range]), Array(runtime[range])) <= 1e-5 * max(size, 1e-3) {
                    equalRows += 1
                }
                if range.allSatisfy({ abs(ours[$0] - runtime[$0]) <= step[$0 - range.lowerBound] * (1 + 1e-5) + 1e-6 }) {
                    withinStep += 1
                }
            }
            let predicted = QuantizedNetwork.predictedClasses(logits: ours.map(Float.init), outputs: last.units)
            let theirs = QuantizedNetwork.predictedClasses(logits: runtime.map(Float.init), outputs: last.units)
            let agreement = Double(zip(predicted, theirs).filter { $0 == $1 }.count) / Double(Self.rows)
            let name = "\(activation) network \(index)"
            #expect(withinStep == Self.rows, "\(name): \(withinStep) of \(Self.rows) rows within one step of the last layer")
            #expect(Double(equalRows) >= 0.95 * Double(Self.rows), "\(name): \(equalRows) of \(Self.rows) rows equal")
            #expect(agreement >= 0.99, "\(name): prediction agreement \(agreement)")
        }
    }

    /// The graph holds integer operators only where Rectifier has integers (no float Conv or
    /// AveragePool), and the reader refuses it in one line naming the int8 form.
    @Test func theConvolutionalGraphIsIntegerAndImportIsRefusedInOneLine() throws {
        let bytes = try Self.convolutionalNetworks("relu")[0].onnxBytes()
        // A node's op_type is field 4 of NodeProto: tag 0x22, the length, the name.
        func hasOperator(_ op: String) -> Bool { bytes.firstRange(of: [0x22, UInt8(op.utf8.count)] + Array(op.utf8)) != nil }
        for op in ["QuantizeLinear", "Reshape", "ConvInteger", "MaxPool", "Flatten", "MatMulInteger", "Div", "Cast"] {
            #expect(hasOperator(op), "\(op)")
        }
        for op in ["Conv", "AveragePool", "GlobalAveragePool", "Gemm", "MatMul", "DequantizeLinear"] {
            #expect(!hasOperator(op), "\(op)")
        }
        do {
            _ = try ONNXModel(onnx: bytes)
            Issue.record("an int8 ONNX model was read")
        } catch {
            #expect(!"\(error)".contains("\n") && "\(error)".contains("int8 ONNX models are not read"), "\(error)")
        }
    }
}
