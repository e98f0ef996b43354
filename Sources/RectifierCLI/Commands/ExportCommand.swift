import ArgumentParser
import Interchange
import Networks

/// `rectifier export MODEL.safetensors -o MODEL.onnx`: a model file as an ONNX model.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a model file (.safetensors) as an ONNX model (opset 13, Gemm and activation nodes).",
        discussion: "The ONNX model takes `input` (batch × features) and gives `logits`; --softmax also gives `probabilities`.")

    @Argument(help: ArgumentHelp("The model file written by rectifier train --save or rectifier import.", valueName: "model"))
    var model: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The ONNX file to write.", valueName: "file"))
    var output: String

    @Flag(help: "Also output softmax probabilities.")
    var softmax = false

    func run() throws {
        do {
            // Read in Double (exact for F32 files too), written in the precision stored.
            let checkpoint = try ModelFile.load(model, as: Double.self)
            let wide = try PortableNetwork(checkpoint.model, endsWithSoftmax: softmax)
            let network = try PortableNetwork(
                inputSize: wide.inputSize, layers: wide.layers,
                precision: checkpoint.storedDType == .float64 ? .float64 : .float32, endsWithSoftmax: softmax)
            try network.writeONNX(to: output)
        } catch let error as ModelFileError {
            throw CommandFailure(error.description)
        } catch let error as ONNXError {
            throw CommandFailure(error.description)
        }
        print("wrote \(output)")
    }
}

/// `rectifier import MODEL.onnx -o MODEL.safetensors`: an ONNX model as a model file.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write an ONNX model of Gemm/MatMul, Add and family activations as a model file (.safetensors).",
        discussion: "A float32 ONNX model becomes an F32 model file, a float64 one an F64 file; a final Softmax is dropped (the model gives logits).")

    @Argument(help: ArgumentHelp("The ONNX file.", valueName: "model"))
    var model: String

    @Option(name: .shortAndLong, help: ArgumentHelp("The model file to write.", valueName: "file"))
    var output: String

    func run() throws {
        do {
            let network = try PortableNetwork(contentsOfONNXFile: model)
            let metadata = ["source": model]
            switch network.precision {
            case .float64: try ModelFile.save(try Sequential<Double>(network), metadata: metadata, to: output)
            case .float32: try ModelFile.save(try Sequential<Float>(network), metadata: metadata, to: output)
            }
        } catch let error as ModelFileError {
            throw CommandFailure(error.description)
        } catch let error as ONNXError {
            throw CommandFailure(error.description)
        }
        print("wrote \(output)")
    }
}
