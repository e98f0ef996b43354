import Activations
import ArgumentParser
import Datasets
import Networks
import Runtime

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `rectifier evaluate MODEL [--data DIR] [--json]`: test accuracy and confusion matrix.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Test accuracy and confusion matrix of a model file (.safetensors, float or int8, or .onnx).",
        discussion: """
            Runs the model on the test set of Fashion-MNIST (or of --data DIR). Rows of the \
            confusion matrix are true classes, columns predicted ones. --json prints one object \
            with test_accuracy, confusion_matrix, class_names, test_count and model.
            """)

    @Argument(help: ArgumentHelp("A model file: .safetensors (rectifier train --save) or .onnx.", valueName: "model"))
    var model: String

    @Option(help: ArgumentHelp("Directory with the MNIST-format files (default: Debian's Fashion-MNIST).", valueName: "dir"))
    var data: String?

    @Flag(help: "Print a JSON object instead of the table.")
    var json = false

    @Option(help: "Threads for BLAS and the kernels (default: all processors).")
    var threads: Int?

    func validate() throws {
        try requireThreadCount(threads)
    }

    func run() throws {
        try Execution(threads: threads).run { try runWithThreads() }
    }

    private func runWithThreads() throws {
        let classifier = try ModelLoading.classifier(at: model)
        let test = try ImageData.loadTest(directory: data)
        let result = try Self.evaluate(classifier, on: test, modelPath: model)
        print(json ? result.json : result.table)
    }

    /// Accuracy and confusion matrix of `classifier` on `test`.
    /// - Throws: ``CommandFailure`` when the model does not fit the data.
    static func evaluate(_ classifier: any ImageClassifier, on test: Dataset<Float>, modelPath: String) throws -> EvaluationResult {
        guard classifier.inputSize == test.featureCount else {
            throw CommandFailure("\(modelPath): the model takes \(classifier.inputSize) inputs, the images have \(test.featureCount) pixels")
        }
        let classes = FashionMNIST.classNames.count
        guard classifier.outputSize == classes else {
            throw CommandFailure("\(modelPath): the model gives \(classifier.outputSize) outputs, the data has \(classes) classes")
        }
        let predictions = try classifier.predictClasses(test.features)
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        for (label, predicted) in zip(test.labels ?? [], predictions) { matrix[label][predicted] += 1 }
        let correct = (0..<classes).reduce(0) { $0 + matrix[$1][$1] }
        return EvaluationResult(
            model: modelPath, testAccuracy: Double(correct) / Double(test.count), confusionMatrix: matrix,
            classNames: FashionMNIST.classNames, testCount: test.count)
    }
}

/// What `evaluate` reports.
struct EvaluationResult: Encodable {
    let model: String
    let testAccuracy: Double
    /// `[true class][predicted class]` counts.
    let confusionMatrix: [[Int]]
    let classNames: [String]
    let testCount: Int

    private enum CodingKeys: String, CodingKey {
        case model, testAccuracy = "test_accuracy", confusionMatrix = "confusion_matrix"
        case classNames = "class_names", testCount = "test_count"
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, integers and a finite accuracy always encode.
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    var table: String {
        let width = Swift.max(6, confusionMatrix.joined().map { String($0).count }.max() ?? 1)
        let nameWidth = classNames.map(\.count).max() ?? 1
        func pad(_ text: String, _ count: Int) -> String { String(repeating: " ", count: Swift.max(0, count - text.count)) + text }
        var lines = ["\(model): test accuracy \(decimal(testAccuracy, 4)) (\(Int((testAccuracy * Double(testCount)).rounded())) of \(testCount))", ""]
        lines.append(pad("true \\ predicted", nameWidth) + (0..<classNames.count).map { pad(String($0), width + 1) }.joined())
        for (index, row) in confusionMatrix.enumerated() {
            lines.append(pad("\(index) \(classNames[index])", nameWidth) + row.map { pad(String($0), width + 1) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
