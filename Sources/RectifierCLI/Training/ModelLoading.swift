import Activations
import Interchange
import Networks
import Runtime

/// Something that assigns a class to each row of a batch of images: what `rectifier
/// evaluate` needs of a model, whatever its file format or precision.
protocol ImageClassifier {
    /// Features per sample.
    var inputSize: Int { get }
    /// Class scores per sample.
    var outputSize: Int { get }
    /// The predicted class of each row of `input` (`n × inputSize`).
    func predictClasses(_ input: Matrix<Float>) throws -> [Int]
}

extension Sequential: ImageClassifier where Scalar == Float {}

/// The model files the commands read, by kind.
enum ModelLoading {
    /// The kinds of model file, told apart by name: `.onnx`, else a safetensors model file.
    enum Kind: String {
        case onnx, safetensors

        init(path: String) {
            self = path.lowercased().hasSuffix(".onnx") ? .onnx : .safetensors
        }
    }

    /// The classifier stored at `path`: a float model file (`ModelFile`) or an ONNX model
    /// made of the supported operators (`ONNXModel`), run in Float.
    /// - Throws: ``CommandFailure`` with the reader's one-line message.
    static func classifier(at path: String) throws -> any ImageClassifier {
        switch Kind(path: path) {
        case .onnx: return try onnxModel(at: path)
        case .safetensors: return try QuantizedClassifier.load(at: path) ?? floatModel(at: path)
        }
    }

    /// The Float model of a model file.
    static func floatModel(at path: String) throws -> Sequential<Float> {
        do {
            return try ModelFile.load(path).model
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// The Float model of an ONNX file.
    static func onnxModel(at path: String) throws -> Sequential<Float> {
        let network: ONNXModel
        do {
            network = try ONNXModel(contentsOfONNXFile: path)
        } catch {
            throw CommandFailure(error.description)
        }
        return try model(of: network, file: path)
    }

    /// The model of `network` (read from `file`), once its memory is known to fit.
    /// - Throws: ``CommandFailure`` naming the file.
    static func model<Scalar: ActivationScalar>(of network: ONNXModel, file: String) throws -> Sequential<Scalar> {
        do {
            try MemoryBudget.require(
                Sequential<Scalar>.requiredBytes(for: network.model.architecture), for: "\(file): the model")
        } catch {
            throw CommandFailure(error.description)
        }
        return Sequential<Scalar>(converting: network.model)
    }
}
