import ArgumentParser
import Datasets
import Networks
import Runtime

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a model needs to know about its data, saved in the model file (metadata key
/// ``metadataKey``, JSON) by `rectifier train` and applied by `evaluate` and `predict`:
/// the task, the class names (output j is class j), the shape of one input, the CSV columns
/// it reads (and the target column), and the preprocessing applied before the first layer.
struct ModelData: Codable, Equatable {
    static let metadataKey = "data"

    var task: DataReader.Task
    /// The class names, in output order; empty for regression.
    var classes: [String]
    /// One example's shape: `[D]`, `[H, W]` or `[C, H, W]`.
    var inputShape: [Int]
    /// The CSV feature columns in input order; nil for arrays and images.
    var featureNames: [String]?
    /// The CSV target column the model was trained on; nil: the last column, or not a CSV.
    var target: String?
    var preprocessing: Preprocessing

    enum CodingKeys: String, CodingKey {
        case task, classes, inputShape = "input_shape", featureNames = "feature_names", target, preprocessing
    }

    /// Features per example.
    var inputSize: Int { inputShape.reduce(1, *) }
    /// The model's output width: one per class, one for regression.
    var outputSize: Int { task == .classification ? classes.count : 1 }

    /// What a model file from before class names were saved was trained on: Fashion-MNIST's
    /// 28 × 28 pixels scaled by 255 (a model of another width: that many scaled values),
    /// Fashion-MNIST's names for 10 outputs, else the outputs' indices.
    static func assumed(inputSize: Int, outputSize: Int) -> ModelData {
        ModelData(
            task: .classification,
            classes: outputSize == FashionMNIST.classNames.count ? FashionMNIST.classNames : (0..<outputSize).map(String.init),
            inputShape: inputSize == 784 ? [28, 28] : [inputSize], featureNames: nil, target: nil,
            preprocessing: .scale255)
    }

    var json: String { jsonLine(self) }

    /// `items` as a JSON array of strings.
    static func jsonArray(_ items: [String]) -> String { jsonLine(items) }

    /// The description saved in `metadata`, nil when there is none.
    /// - Throws: ``CommandFailure`` naming `file` when it is there but does not fit a model
    ///   of `inputSize` inputs and `outputSize` outputs.
    static func saved(in metadata: [String: String], file: String, inputSize: Int, outputSize: Int) throws -> ModelData? {
        guard let text = metadata[metadataKey] else { return nil }
        let data: ModelData
        do {
            data = try JSONDecoder().decode(ModelData.self, from: Data(text.utf8))
        } catch {
            throw CommandFailure("\(file): metadata '\(metadataKey)' is not valid: \(String(describing: error).prefix(200))")
        }
        guard !data.inputShape.isEmpty, data.inputShape.allSatisfy({ $0 >= 1 }),
            MemoryBudget.product(data.inputShape) == inputSize, data.outputSize == outputSize,
            data.task == .regression || data.classes.count >= 2,
            data.featureNames.map({ $0.count == inputSize }) ?? true,
            data.preprocessing.fits(featureCount: inputSize)
        else {
            throw CommandFailure(
                "\(file): metadata '\(metadataKey)' does not fit the model's \(inputSize) inputs and \(outputSize) outputs")
        }
        return data
    }

    /// The reader for inputs to this model: its classes, columns and target.
    func reader(featuresOnly: Bool) -> DataReader {
        var reader = DataReader(
            target: target, task: task, classNames: task == .classification ? classes : nil,
            featureNames: featureNames, featuresOnly: featuresOnly,
            mnistLabelNames: classes == FashionMNIST.classNames ? FashionMNIST.classNames : nil)
        reader.testSplitOnly = true
        return reader
    }

    /// `examples` preprocessed as a `count × inputSize` matrix.
    /// - Throws: ``CommandFailure`` naming `path` when the examples have another width.
    func inputs(_ examples: Examples, path: String) throws -> Matrix<Float> {
        try checkWidth(of: examples.shape, path: path)
        var values = examples.features
        try preprocessing.apply(to: &values, featureCount: inputSize)
        return try Matrix(rows: examples.count, columns: inputSize, scalars: values)
    }

    /// Refuses examples of `shape` (read from `path`) unless they have ``inputSize`` values.
    func checkWidth(of shape: [Int], path: String) throws {
        let count = MemoryBudget.product(shape)
        guard count == inputSize else {
            throw CommandFailure(
                "\(path): the examples have \(count.map(String.init) ?? "too many") values (shape \(shape)); the model takes \(inputSize) (shape \(inputShape))")
        }
    }
}
