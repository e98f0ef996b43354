import ArgumentParser
import Datasets
import Networks

/// The flags that choose what `rectifier train` learns from: the source in any form
/// ``DataReader`` reads, the test split, a stratified subset, the task and the scaling.
struct DataOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The training data: a directory of MNIST-format files (default: Debian's Fashion-MNIST), a .csv file, an .npz file with x and y, or a folder of class folders of PNG images.",
        valueName: "path"))
    var data: String?

    @Option(help: ArgumentHelp("The CSV target column (default: the last column).", valueName: "name"))
    var target: String?

    @Option(help: "classification (softmax cross-entropy) or regression (a numeric target, mean squared error; default classification).")
    var task: DataReader.Task?

    @Option(help: ArgumentHelp("The test data, in any form --data takes (default: the source's test split, or --test-fraction of it).", valueName: "path"))
    var testData: String?

    @Option(help: ArgumentHelp("The fraction of the data held out for testing, stratified by class and seeded, when the source has no test split (default 0.2).", valueName: "fraction"))
    var testFraction: Double?

    @Option(help: ArgumentHelp("Train on a stratified, seeded subset of this many examples.", valueName: "n"))
    var trainSamples: Int?

    @Option(help: "Input scaling saved with the model: scale255 (x/255; default for images), standardize (the training split's per-feature mean and standard deviation; default for CSV and NumPy) or none.")
    var normalize: Preprocessing.Kind?

    init() {}

    /// Refuses values that cannot work (usage errors, exit status 64).
    func check() throws {
        for (flag, value) in [("--data", data), ("--test-data", testData), ("--target", target)] where value?.isEmpty == true {
            throw ValidationError("\(flag) needs a value")
        }
        if let testFraction, !(testFraction > 0 && testFraction < 1) {
            throw ValidationError("--test-fraction \(testFraction) is not allowed (a number in (0, 1))")
        }
        if testFraction != nil, testData != nil {
            throw ValidationError("give --test-data or --test-fraction, not both")
        }
        if let trainSamples, trainSamples < 1 {
            throw ValidationError("--train-samples \(trainSamples) is not allowed (an integer ≥ 1)")
        }
        if let data, let testData, data == testData || CommandFiles.sameExistingFile(data, testData) {
            throw ValidationError("--test-data \(testData) is --data; give other examples to test on, or --test-fraction")
        }
    }

    /// The flags' names and whether each was given, for the run settings' checks.
    var given: [(String, Bool)] {
        [("--target", target != nil), ("--task", task != nil), ("--test-data", testData != nil),
         ("--test-fraction", testFraction != nil), ("--train-samples", trainSamples != nil), ("--normalize", normalize != nil)]
    }

    /// The choices that fix the run's data, saved with the run.
    var choices: DataChoices {
        get { DataChoices(target: target, task: task, testFraction: testFraction, trainSamples: trainSamples, normalize: normalize) }
        set { (target, task, testFraction, trainSamples, normalize) = (newValue.target, newValue.task, newValue.testFraction, newValue.trainSamples, newValue.normalize) }
    }
}

/// The data flags besides the paths (a resumed run names its files again).
struct DataChoices: Codable, Equatable {
    var target: String?
    var task: DataReader.Task?
    var testFraction: Double?
    var trainSamples: Int?
    var normalize: Preprocessing.Kind?

    private enum CodingKeys: String, CodingKey {
        case target, task, testFraction = "test_fraction", trainSamples = "train_samples", normalize
    }
}

extension DataReader.Task: ExpressibleByArgument {}
extension Preprocessing.Kind: ExpressibleByArgument {}

/// The data of one training run, ready to train on: the part learned from, a held-out
/// validation part, and the test set, kept apart for the final figure; all preprocessed as
/// ``model`` says.
struct TrainingData {
    let training: Dataset<Float>
    let validation: Dataset<Float>
    let test: Dataset<Float>
    let model: ModelData
    /// The source's format, for the messages ("images" or "examples").
    let format: DataFormat

    var noun: String { format == .mnist || format == .imageFolder ? "images" : "examples" }

    /// Reads `options.data` (Fashion-MNIST's Debian folder when nil) and splits it: the test
    /// set is `--test-data`, else the source's own test split, else a stratified
    /// `--test-fraction` (0.2); then `--train-samples`; then `validationCount` held out (a
    /// twelfth when nil: 5 000 of Fashion-MNIST's 60 000). Every split is stratified by class
    /// and chosen by `seed`.
    /// - Throws: ``DatasetError`` for unreadable or bad data; `ValidationError` naming the
    ///   flag for a count or fraction that leaves no example on a side.
    static func load(_ options: DataOptions, validationCount: Int?, seed: UInt64) throws -> TrainingData {
        let path = options.data ?? FashionMNIST.defaultDirectory
        let isDefault = options.data == nil || CommandFiles.withoutTrailingSlashes(path) == CommandFiles.withoutTrailingSlashes(FashionMNIST.defaultDirectory)
        let task = options.task ?? .classification
        let reader = DataReader(
            target: options.target, task: task, mnistLabelNames: isDefault ? FashionMNIST.classNames : nil)
        if options.data == nil, MNISTFormat.locate(MNISTFormat.trainingImagesFile, in: path) == nil {
            // The default set is missing: say how to install it.
            throw DatasetError.dataSetNotFound(
                directory: path, missing: [MNISTFormat.trainingImagesFile + "[.gz]", MNISTFormat.trainingLabelsFile + "[.gz]"])
        }
        let loaded = try reader.read(path)
        if options.target != nil, loaded.format != .csv {
            throw ValidationError("--target names a CSV column; --data \(path) is \(loaded.format == .npz ? "an .npz file (its labels are y)" : "not a CSV file")")
        }
        if task == .regression, loaded.examples.classNames != nil {
            throw CommandFailure("--task regression needs numeric targets; \(path) holds class labels (\(loaded.format.rawValue))")
        }
        var training = loaded.examples
        let test: Examples
        if let testPath = options.testData {
            var testReader = reader
            testReader.classNames = training.classNames
            testReader.featureNames = training.featureNames
            testReader.testSplitOnly = true
            test = try testReader.read(testPath).examples
            guard test.shape == training.shape else {
                throw CommandFailure("--test-data \(testPath): its examples have shape \(test.shape); --data \(path) has \(training.shape)")
            }
        } else if let sourceTest = loaded.test, options.testFraction == nil {
            test = sourceTest
        } else {
            (training, test) = try asUsageError { try training.split(testFraction: options.testFraction ?? 0.2, seed: seed) }
        }
        if let samples = options.trainSamples {
            training = try asUsageError { try training.subset(samples, seed: seed) }
        }
        guard training.count >= 2 else {
            throw ValidationError(
                "\(options.trainSamples.map { "--train-samples \($0)" } ?? "--data \(path)") leaves \(training.count) training example; at least 2 are needed (one is held out for validation)")
        }
        let count = validationCount ?? Swift.max(1, (training.count + 6) / 12)
        guard count >= 1, count < training.count else {
            throw ValidationError(
                "--validation \(count) is not allowed: 1…\(training.count - 1) of the \(training.count) training examples")
        }
        let (learned, validation) = training.split(heldOut: count, seed: seed)
        let preprocessing = Preprocessing(options.normalize ?? Preprocessing.defaultKind(for: loaded.format), fittedTo: learned)
        let model = ModelData(
            task: task, classes: learned.classNames ?? [], inputShape: learned.shape, featureNames: learned.featureNames,
            target: options.target, preprocessing: preprocessing)
        return TrainingData(
            training: try dataset(learned, model, path), validation: try dataset(validation, model, path),
            test: try dataset(test, model, options.testData ?? path), model: model, format: loaded.format)
    }

    /// `examples` preprocessed, with their class indices or values.
    static func dataset(_ examples: Examples, _ model: ModelData, _ path: String) throws -> Dataset<Float> {
        let features = try model.inputs(examples, path: path)
        switch examples.targets {
        case let .classes(indices, _):
            return try Dataset(features: features, labels: indices)
        case let .values(values):
            return try Dataset(features: features, targets: .values(try Matrix(rows: values.count, columns: 1, scalars: values)))
        case .none:
            throw CommandFailure("\(path): the examples have no targets")
        }
    }

    /// Pixels (scaled to [0, 1]) as a `count × pixelsPerImage` matrix and labels as class indices.
    static func dataset(_ images: LabeledImages) throws -> Dataset<Float> {
        try Dataset(
            features: try Matrix(rows: images.count, columns: images.pixelsPerImage, scalars: images.pixels),
            labels: images.labels.map(Int.init))
    }
}
