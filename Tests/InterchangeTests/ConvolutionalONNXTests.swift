import Foundation
import Interchange
import Networks
import Runtime
import Testing

/// Convolutional networks in ONNX: exported models pass `onnx.checker` and give
/// onnxruntime the outputs Rectifier computes; read back, they are the same layers and values.
@Suite(.serialized) struct ConvolutionalONNXTests {
    /// Convolution (valid, `same` with an odd total padding, strided), max, average and
    /// global average pooling, flatten, batch norm (image and flat) and dropout.
    static func networks() throws -> [(String, Architecture)] {
        let small = try ImageShape(channels: 2, height: 7, width: 7)
        return [
            ("conv-pool-conv", try ConvolutionalModelFileTests.architecture()),
            ("batchnorm-dropout", try ConvolutionalModelFileTests.normalized(dropout: 0.3)),
            ("same-strided-average-gap", try Architecture.fromLayerSpecification(
                "conv:3x4:pad=same,maxpool:2,conv:4x3:stride=2,pad=same,batchnorm,avgpool:2,gap,dense:4",
                input: small, hiddenActivation: .fixed(.relu), outputSize: 3)),
        ]
    }

    /// A Float model with every parameter and statistic drawn (variances positive).
    static func model(_ architecture: Architecture, seed: UInt64) throws -> Sequential<Float> {
        var generator = SeededGenerator(seed: seed)
        let model = Sequential<Float>(architecture: architecture, initialization: try Initialization(), generator: &generator)
        for info in model.parameters.layout.parameters where info.name.hasSuffix("bias") || info.name.hasSuffix("running_mean") {
            generator.fillUniform(model.parameters.values(of: info), lower: -0.3, upper: 0.3)
        }
        for info in model.parameters.layout.parameters where info.name.hasSuffix("running_var") {
            generator.fillUniform(model.parameters.values(of: info), lower: 0.5, upper: 2)
        }
        return model
    }

    @Test func exportedModelsGiveRectifiersOutputsInOnnxRuntimeAndReadBack() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for (index, (name, architecture)) in try Self.networks().enumerated() {
            let model = try Self.model(architecture, seed: UInt64(index))
            let network = try ONNXModel(model)
            let path = directory.file("\(name).onnx")
            try network.writeONNX(to: path)
            var generator = SeededGenerator(seed: 40 + UInt64(index))
            let rows = 6
            let input = Matrix<Float>(rows: rows, columns: architecture.inputSize) { buffer in
                generator.fillUniform(buffer, lower: -1, upper: 1)
            }
            let runtime = try ONNXPeerTests.runtimeOutputs(
                [path], batch: input.scalars.map(Double.init), rows: rows, in: directory)[0]
            let ours = try model.predict(input).scalars.map(Double.init)
            let difference = ONNXPeerTests.maximumDifference(ours, runtime["logits"] ?? [])
            #expect(difference <= ONNXPeerTests.tolerance, "\(name): logits differ by \(difference)")

            let read = try ONNXModel(contentsOfONNXFile: path)
            #expect(read.model.architecture.layers == architecture.layers, "\(name)")
            #expect(read.model.parameters.snapshot() == Sequential<Double>(converting: model).parameters.snapshot(), "\(name)")
        }
    }

    @Test func exportedGraphsUseTheImageOperators() throws {
        let model = try Self.model(try Self.networks()[2].1, seed: 9)
        let bytes = try ONNXModel(model).onnxBytes()
        let text = String(decoding: bytes, as: UTF8.self)
        for op in ["Reshape", "Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "BatchNormalization"] {
            #expect(text.contains(op), "\(op)")
        }
    }
}
