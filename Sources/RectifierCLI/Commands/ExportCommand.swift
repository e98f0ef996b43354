import ArgumentParser
import Interchange
import Networks

/// `rectifier export MODEL.safetensors -o MODEL.onnx`: a model file as an ONNX model.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a model file (.safetensors) as an ONNX model (opset 13, Gemm and activation nodes).",
        discussion: """
            The ONNX model takes `input` (batch × features, as read: the model's input scaling \
            is in the graph as Sub and Div nodes) and gives `logits`; --softmax also gives \
            `probabilities` (float models). The metadata_props hold the class names (`classes`, \
            a JSON array) and the model's data description (`data`). An int8 file (rectifier quantize) becomes QuantizeLinear, \
            MatMulInteger, ConvInteger, MaxPool and integer average-pooling nodes that give \
            Rectifier's int8 logits in ONNX Runtime (a code can differ by one where the two \
            requantisations round a near-half differently).
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
        if let (int8, metadata) = try QuantizedClassifier.load(at: model) {
            let data = try ModelData.saved(in: metadata, file: model, inputSize: int8.inputSize, outputSize: int8.outputSize)
            try asFailure {
                let (scaling, properties) = try Self.onnxExtras(data, inputSize: int8.inputSize)
                try int8.network.writeONNX(to: output, inputScaling: scaling, metadata: properties)
            }
            print("wrote \(output)")
            return
        }
        try asFailure {
            // Read in Double (exact for F32 files too), written in the precision stored.
            let checkpoint = try ModelFile.load(model, as: Double.self)
            var network = try ONNXModel(
                checkpoint.model, precision: checkpoint.storedDType == .float64 ? .float64 : .float32, endsWithSoftmax: softmax)
            let data = try ModelData.saved(
                in: checkpoint.metadata, file: model, inputSize: checkpoint.model.inputSize, outputSize: checkpoint.model.outputSize)
            (network.inputScaling, network.metadata) = try Self.onnxExtras(data, inputSize: checkpoint.model.inputSize)
            try network.writeONNX(to: output)
        }
        print("wrote \(output)")
    }

    /// The input scaling (nil for none) and the metadata_props of a model described by
    /// `data`: the description under `data`, the class names as a JSON array under `classes`.
    static func onnxExtras(_ data: ModelData?, inputSize: Int) throws(ONNXError) -> (ONNXModel.InputScaling?, [String: String]) {
        guard let data else { return (nil, [:]) }
        var metadata = [ModelData.metadataKey: data.json]
        if data.task == .classification { metadata["classes"] = ModelData.jsonArray(data.classes) }
        guard data.preprocessing.kind != .none else { return (nil, metadata) }
        let scaling = try ONNXModel.InputScaling(
            offset: data.preprocessing.offset.map(Double.init), scale: data.preprocessing.scale.map(Double.init), width: inputSize)
        return (scaling, metadata)
    }
}
