import ArgumentParser
import Datasets
import Networks
import Runtime

/// `rectifier evaluate MODEL [--data INPUT] [--json]`: the model's figures on labelled data.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Accuracy, loss, per-class figures and confusion matrix (or MSE, RMSE, R²) of a model file (.safetensors, float or int8, or .onnx).",
        discussion: """
            Runs the model on --data (default: the test set of Debian's Fashion-MNIST): the test \
            files of an MNIST-format directory, a .csv file (the columns the model was trained \
            on, by name, and its target column), an .npz file with x and y, or a folder of class \
            folders of PNG images. The model file's class names, input shape and input scaling \
            are applied. Rows of the confusion matrix are true classes, columns predicted ones. \
            --json prints one object with test_accuracy, loss, confusion_matrix, class_names, \
            classes, per_class (class, precision, recall, f1, support), macro_f1, test_count and \
            model; for a regression model mse, rmse, r2, test_count and model.
            """)

    @Argument(help: ArgumentHelp("A model file: .safetensors (rectifier train --save) or .onnx.", valueName: "model"))
    var model: String

    @Option(help: ArgumentHelp("The labelled data to evaluate on (default: Debian's Fashion-MNIST test set).", valueName: "path"))
    var data: String?

    @Flag(help: "Print a JSON object instead of the table.")
    var json = false

    @OptionGroup var threads: ThreadOption

    func validate() throws {
        if data?.isEmpty == true { throw ValidationError("--data needs a value") }
    }

    func run() throws { try threads.run(runWithThreads) }

    private func runWithThreads() throws {
        let loaded = try ModelLoading.load(at: model)
        if data == nil, loaded.data.classes != FashionMNIST.classNames || loaded.data.inputSize != 784 {
            throw ValidationError("\(model) was not trained on Fashion-MNIST; give the data to evaluate on with --data PATH")
        }
        let path = data ?? FashionMNIST.defaultDirectory
        let examples = try loaded.data.reader(featuresOnly: false).read(path).examples
        let result = try Self.evaluate(loaded, on: examples, dataPath: path)
        print(json ? result.json : result.table)
    }

    /// The figures of `model` on `examples` (read from `dataPath`).
    /// - Throws: ``CommandFailure`` when the data does not fit the model.
    static func evaluate(_ model: LoadedModel, on examples: Examples, dataPath: String) throws -> EvaluationReport {
        let inputs = try model.data.inputs(examples, path: dataPath)
        let scores = try model.scorer.scores(inputs)
        switch examples.targets {
        case let .classes(labels, _):
            return .classification(ClassificationFigures(
                model: model.path, scores: scores, labels: labels, classNames: model.data.classes))
        case let .values(values):
            return .regression(RegressionFigures(model: model.path, predictions: scores.scalars, targets: values))
        case .none:
            throw CommandFailure("\(dataPath): no targets to evaluate against")
        }
    }
}
