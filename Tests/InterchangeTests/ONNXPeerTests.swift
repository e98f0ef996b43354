import Activations
import Foundation
import Interchange
import Networks
import Testing

/// Interop with the real tools from PyPI, run from the peer venv: models written here pass
/// `onnx.checker` and give onnxruntime's outputs; models built with the `onnx` helper API
/// import here and give the outputs onnxruntime gives.
@Suite(.serialized) struct ONNXPeerTests {
    static let tolerance = 1e-5
    static let rows = 16

    /// Runs each model with onnxruntime on `batch`; returns each model's outputs by name.
    static func runtimeOutputs(_ paths: [String], batch: [Double], rows: Int, in directory: TemporaryDirectory) throws -> [[String: [Double]]] {
        let batchPath = directory.file("batch.json")
        try JSONSerialization.data(withJSONObject: ["rows": rows, "values": batch]).write(to: URL(fileURLWithPath: batchPath))
        try PeerPython.run(["run", batchPath] + paths.flatMap { [$0, $0 + ".out.json"] }, script: PeerPython.onnxScript)
        return try paths.map { path in
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path + ".out.json")))
            return try #require(object as? [String: [Double]])
        }
    }

    static func maximumDifference(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count == b.count else { return .infinity }
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    /// Every hidden activation (and PReLU, per unit and shared), with and without the
    /// softmax output: onnxruntime's logits match the Rectifier model's, its probabilities
    /// the reference softmax of them.
    @Test func exportedModelsGiveRectifiersOutputsInOnnxRuntime() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var cases: [(name: String, model: Sequential<Float>, network: ONNXModel)] = []
        let activations = ONNXModelMappingTests.hiddenActivations + writtenOutActivations.map { .fixed($0) }
        for (index, activation) in activations.enumerated() {
            let model = try ONNXModelMappingTests.model(activation, seed: UInt64(index))
            for softmax in [false, true] {
                cases.append(("\(activation)\(softmax ? "+softmax" : "")", model, try ONNXModel(model, endsWithSoftmax: softmax)))
            }
        }
        let paths = try cases.enumerated().map { index, entry in
            let path = directory.file("model\(index).onnx")
            try entry.network.writeONNX(to: path)
            return path
        }
        let input: Matrix<Float> = try ONNXModelMappingTests.batch(Self.rows, 6)
        let batch = input.scalars.map(Double.init)
        let outputs = try Self.runtimeOutputs(paths, batch: batch, rows: Self.rows, in: directory)
        for (entry, runtime) in zip(cases, outputs) {
            let logits = try entry.model.predict(input).scalars.map(Double.init)
            let difference = Self.maximumDifference(logits, runtime["logits"] ?? [])
            #expect(difference <= Self.tolerance, "\(entry.name): logits differ by \(difference)")
            if entry.network.endsWithSoftmax {
                let probabilities = try entry.network.reference(batch, rows: Self.rows)
                let difference = Self.maximumDifference(probabilities, runtime["probabilities"] ?? [])
                #expect(difference <= Self.tolerance, "\(entry.name): probabilities differ by \(difference)")
            } else {
                #expect(runtime["probabilities"] == nil)
            }
        }
    }

    /// Float64 models: onnxruntime's CPU provider has double kernels for Gemm, Relu, Abs,
    /// Sigmoid, Tanh, Identity and Softmax (not LeakyRelu, Softplus or PRelu, whose
    /// float64 models are checked with `onnx.checker` only).
    @Test func float64ModelsRunOrPassTheChecker() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let runnable: [Activation] = [.relu, .abs, .sigmoid, .tanh, .identity]
        let batch = sampleBatch(rows: Self.rows, width: 4)
        let networks = try runnable.map { try sampleNetwork($0, precision: .float64, softmax: true) }
        let paths = try networks.enumerated().map { index, network in
            let path = directory.file("double\(index).onnx")
            try network.writeONNX(to: path)
            return path
        }
        let outputs = try Self.runtimeOutputs(paths, batch: batch, rows: Self.rows, in: directory)
        for (network, runtime) in zip(networks, outputs) {
            let difference = Self.maximumDifference(try network.reference(batch, rows: Self.rows), runtime["probabilities"] ?? [])
            #expect(difference <= 1e-12, "\(network.layers[1]): float64 probabilities differ by \(difference)")
        }
        let others = try [Activation.leakyReLU(negativeSlope: 0.1), try .softplus(beta: 3), .softplus].enumerated().map { index, activation in
            let path = directory.file("checked\(index).onnx")
            try sampleNetwork(activation, precision: .float64, prelu: [0.5]).writeONNX(to: path)
            return path
        }
        try PeerPython.run(["check"] + others, script: PeerPython.onnxScript)
    }

    /// Models built with `onnx.helper` (Gemm with α, β and transB = 0, MatMul + Add,
    /// Flatten, Reshape, every activation, PReLU, Softmax, opset 13, 17 and 20, float64;
    /// GELU, SiLU and Mish as the formulas PyTorch writes and as opset 18/20 operators; a
    /// [N, 1, 6, 6] image through Conv, BatchNormalization, pooling and Dropout) import
    /// as Rectifier models that give onnxruntime's outputs.
    @Test func helperBuiltModelsImportAndMatchOnnxRuntime() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try PeerPython.run(["write-fixtures", directory.path], script: PeerPython.onnxScript)
        let members: [String: [Activation]] = [
            "formulas": [.gelu, .silu, .mish, try .elu(alpha: 0.5), .selu],
            "gelu-mish-ops": [.gelu, .mish, .gelu(GELU(approximation: .tanh))],
        ]
        for name in ["gemm-leaky-softmax", "flatten-matmul-prelu", "reshape-mixed", "double", "formulas", "gelu-mish-ops", "conv-batchnorm-pool"] {
            let network = try ONNXModel(contentsOfONNXFile: directory.file(name + ".onnx"))
            if let expected = members[name] {
                let read = network.layers.compactMap { layer -> Activation? in
                    if case .activation(let member, _) = layer { return member } else { return nil }
                }
                #expect(read == expected, "\(name): read \(read)")
            }
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory.file(name + ".json"))))
            let fixture = try #require(object as? [String: Any])
            let rows = try #require(fixture["rows"] as? Int)
            let input = try #require(fixture["input"] as? [Double])
            let expected = try #require(fixture["output"] as? [Double])
            #expect(network.model.outputSize == fixture["output_width"] as? Int)
            let width = network.model.inputSize
            var outputs: [Double]
            if network.precision == .float64 {
                outputs = try network.model.predict(Matrix(rows: rows, columns: width, scalars: input)).scalars
            } else {
                let model = Sequential<Float>(converting: network.model)
                outputs = try model.predict(Matrix(rows: rows, columns: width, scalars: input.map { Float($0) })).scalars.map(Double.init)
            }
            if network.endsWithSoftmax {
                // A final softmax is not part of a Rectifier model: it gives the logits.
                let width = network.model.outputSize
                outputs = (0..<rows).flatMap { row in
                    let logits = outputs[(row * width)..<((row + 1) * width)]
                    let exponentials = logits.map { Foundation.exp($0 - logits.max()!) }
                    return exponentials.map { $0 / exponentials.reduce(0, +) }
                }
            }
            let difference = Self.maximumDifference(outputs, expected)
            #expect(difference <= (name == "double" ? 1e-12 : Self.tolerance), "\(name): outputs differ by \(difference)")
        }
    }

    @Test func unsupportedHelperBuiltModelsAreRefusedByName() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try PeerPython.run(["write-fixtures", directory.path], script: PeerPython.onnxScript)
        let path = directory.file("unsupported-conv.onnx")
        #expect(throws: ONNXError.invalidAttribute(
            file: path, node: "'conv1'", attribute: "dilations", detail: "must be [1, 1]")
        ) {
            try ONNXModel(contentsOfONNXFile: path)
        }
        do {
            _ = try ONNXModel(contentsOfONNXFile: directory.file("unsupported-residual.onnx"))
            Issue.record("a residual graph was accepted")
        } catch {
            #expect(error.description.contains("not a feed-forward chain: node 'skip' combines 2 computed values"), "\(error)")
        }
    }
}
