import ArgumentParser
import Interchange
import Networks

/// `rectifier export MODEL.safetensors -o MODEL.onnx`: a model file as an ONNX model.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a model file (.safetensors) as an ONNX model (opset 13, Gemm and activation nodes).",
        discussion: """
            The ONNX model takes `input` (batch × features) and gives `logits`; --softmax also gives \
            `probabilities` (float models). An int8 file (rectifier quantize) becomes QuantizeLinear, \
            MatMulInteger and DequantizeLinear nodes that give the same logits in ONNX Runtime.
            """)

    @Argument(help: ArgumentHelp("The model file written by rectifier train --save or rectifier import.", valueName: "model"))
    var model: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The ONNX file to write.", valueName: "file"))
    var output: String

    @Flag(help: "Also output softmax probabilities.")
    var softmax = false

    func run() throws {
        var files = CommandFiles()
        files.reads(model, flag: "<model>")
        files.writes(output, flag: "--output")
        try files.check()
        if let int8 = try QuantizedClassifier.load(at: model) {
            do {
                try int8.network.writeONNX(to: output)
            } catch {
                throw CommandFailure(error.description)
            }
            print("wrote \(output)")
            return
        }
        do {
            // Read in Double (exact for F32 files too), written in the precision stored.
            let checkpoint = try ModelFile.load(model, as: Double.self)
            try ONNXModel(
                checkpoint.model, precision: checkpoint.storedDType == .float64 ? .float64 : .float32, endsWithSoftmax: softmax
            ).writeONNX(to: output)
        } catch let error as ModelFileError {
            throw CommandFailure(error.description)
        } catch let error as ONNXError {
            throw CommandFailure(error.description)
        }
        print("wrote \(output)")
    }
}
