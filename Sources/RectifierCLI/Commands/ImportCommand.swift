import ArgumentParser
import Interchange
import Networks

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
        var files = CommandFiles()
        files.reads(model, flag: "<model>")
        files.writes(output, flag: "--output")
        try files.check()
        try asFailure {
            let network = try ONNXModel(contentsOfONNXFile: model)
            var metadata = ["source": model]
            // The data description travels back; the graph's Sub → Div is what it describes.
            if let data = network.metadata[ModelData.metadataKey] { metadata[ModelData.metadataKey] = data }
            switch network.precision {
            case .float64:
                try ModelFile.save(network.model, metadata: metadata, to: output)
            case .float32:
                try ModelFile.save(try ModelLoading.model(of: network, file: model) as Sequential<Float>, metadata: metadata, to: output)
            }
        }
        print("wrote \(output)")
    }
}
