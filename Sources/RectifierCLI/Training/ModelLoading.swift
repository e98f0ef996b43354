import Activations
import Interchange
import Networks
import Runtime

/// Something that scores each row of a batch of inputs: what `rectifier evaluate` and
/// `predict` need of a model, whatever its file format or precision.
protocol ScoringModel {
    /// Features per sample.
    var inputSize: Int { get }
    /// Scores (logits, or the value for regression) per sample.
    var outputSize: Int { get }
    /// The `n × outputSize` scores of `input` (`n × inputSize`).
    func scores(_ input: Matrix<Float>) throws -> Matrix<Float>
}

extension Sequential: ScoringModel where Scalar == Float {
    func scores(_ input: Matrix<Float>) throws -> Matrix<Float> { try predict(input) }
}

/// A model read from a file with what it knows of its data.
struct LoadedModel {
    let scorer: any ScoringModel
    /// The saved description, or ``ModelData/assumed(inputSize:outputSize:)`` for files
    /// without one (ONNX, int8, and model files from before it was saved).
    let data: ModelData
    let path: String
    /// The layers; nil for an int8 model file that does not keep them.
    let architecture: Architecture?
}

/// The model files the commands read, by kind.
enum ModelLoading {
    /// The kinds of model file, told apart by name: `.onnx`, else a safetensors model file.
    enum Kind: String {
        case onnx, safetensors

        init(path: String) {
            self = path.lowercased().hasSuffix(".onnx") ? .onnx : .safetensors
        }
    }

    /// The model stored at `path`: a float model file (`ModelFile`), an int8 one, or an
    /// ONNX model made of the supported operators (`ONNXModel`), run in Float.
    /// - Throws: ``CommandFailure`` with the reader's one-line message.
    static func load(at path: String) throws -> LoadedModel {
        let scorer: any ScoringModel
        var metadata: [String: String] = [:]
        switch Kind(path: path) {
        case .onnx:
            let network = try onnxNetwork(at: path)
            scorer = try model(of: network, file: path) as Sequential<Float>
            metadata = network.metadata
            if network.inputScaling != nil, metadata[ModelData.metadataKey] == nil {
                throw CommandFailure("\(path): the graph scales its input (Sub → Div) but holds no '\(ModelData.metadataKey)' metadata saying how; only models exported by rectifier can be run with their scaling")
            }
        case .safetensors:
            if let (int8, int8Metadata) = try QuantizedClassifier.load(at: path) {
                scorer = int8
                metadata = int8Metadata
            } else {
                let checkpoint: ModelCheckpoint<Float> = try asFailure { try ModelFile.load(path) }
                scorer = checkpoint.model
                metadata = checkpoint.metadata
            }
        }
        let data = try ModelData.saved(in: metadata, file: path, inputSize: scorer.inputSize, outputSize: scorer.outputSize)
            ?? .assumed(inputSize: scorer.inputSize, outputSize: scorer.outputSize)
        return LoadedModel(scorer: scorer, data: data, path: path, architecture: (scorer as? Sequential<Float>)?.architecture ?? (scorer as? QuantizedClassifier)?.architecture)
    }

    /// The Float model of an ONNX file.
    static func onnxModel(at path: String) throws -> Sequential<Float> {
        try model(of: try onnxNetwork(at: path), file: path)
    }

    /// The ONNX file at `path`, read.
    static func onnxNetwork(at path: String) throws -> ONNXModel {
        try asFailure { try ONNXModel(contentsOfONNXFile: path) }
    }

    /// The model of `network` (read from `file`), once its memory is known to fit.
    /// - Throws: ``CommandFailure`` naming the file.
    static func model<Scalar: ActivationScalar>(of network: ONNXModel, file: String) throws -> Sequential<Scalar> {
        try asFailure {
            try MemoryBudget.require(Sequential<Scalar>.requiredBytes(for: network.model.architecture), for: "\(file): the model")
        }
        return Sequential<Scalar>(converting: network.model)
    }
}
