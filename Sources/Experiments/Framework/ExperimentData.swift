import Activations
import Datasets
import Networks

/// An experiment's data as the trainer's ``Dataset``s, in the sizes the experiment asks for:
/// a stratified validation split held out of the training part, then the first samples of
/// each part (short runs use a few thousand).
package struct ExperimentData: Sendable {
    /// Samples to learn from (`n × features`, scaled as ``Source`` says).
    package let training: Dataset<Float>
    /// Held-out samples from the training part, for validation accuracy.
    package let validation: Dataset<Float>
    /// The test set (only for final figures), or nil when not asked for.
    package let test: Dataset<Float>?
    /// A line for the report: "fashion-mnist: 10000 training, 2000 validation images".
    package let description: String

    /// The sizes of one experiment's data: what it asks of Fashion-MNIST. A smaller source
    /// gives what it has (``init(_:sizes:)``).
    package struct Sizes: Hashable, Sendable {
        /// Training samples (≥ 1).
        package var training: Int
        /// Held-out validation samples (≥ 1).
        package var validation: Int
        /// Test samples (0 for none).
        package var test: Int

        package init(training: Int, validation: Int, test: Int = 0) {
            self.training = training
            self.validation = validation
            self.test = test
        }
    }

    /// The validation split's seed: the same examples are held out in every experiment (and
    /// the test examples, for a source without a test split).
    package static let splitSeed: UInt64 = 2017

    /// Any data `rectifier train` reads, classified, scaled, and split into a training and a
    /// test part.
    package struct Source: Sendable {
        /// Scaled features and class indices.
        package let training: Examples
        package let test: Examples
        /// The source's last path component, for the report.
        package let name: String
        /// "images" or "examples".
        package let noun: String
        /// Whether an experiment asking for more examples than the source holds takes what it
        /// has (your own data) rather than refusing (MNIST-format sets, the ones the sizes are
        /// chosen for: a cut-down Fashion-MNIST would be another experiment).
        package let takesWhatItHas: Bool

        /// Images already scaled to [0, 1] (an MNIST-format directory, or synthetic images).
        package init(_ images: ImageDataSet) throws(ExperimentError) {
            func examples(_ part: LabeledImages) throws(ExperimentError) -> Examples {
                do {
                    return try Examples(
                        features: part.pixels, shape: [part.rows, part.columns],
                        targets: .classes(indices: part.labels.map(Int.init), names: part.classNames))
                } catch {
                    throw .invalidOption(flag: "--data", reason: "\(images.directory): \(error)")
                }
            }
            (training, test, noun, takesWhatItHas) = (try examples(images.training), try examples(images.test), "images", false)
            name = Self.lastComponent(images.directory)
        }

        /// Reads `path` in any form ``DataReader`` knows (labels: K ≥ 2 classes). The test part
        /// is the source's own, else a stratified fifth (seed ``splitSeed``); both are
        /// scaled by ``Preprocessing/defaultKind(for:)`` fitted to the training part.
        /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` naming `--data` with the
        ///   reader's one-line message.
        package init(path: String) throws(ExperimentError) {
            do {
                let loaded = try DataReader().read(path)
                var training = loaded.examples
                var test: Examples
                if let sourceTest = loaded.test {
                    test = sourceTest
                } else {
                    (training, test) = try training.split(testFraction: 0.2, seed: ExperimentData.splitSeed)
                }
                let preprocessing = Preprocessing(Preprocessing.defaultKind(for: loaded.format), fittedTo: training)
                func scaled(_ part: Examples) throws -> Examples {
                    var values = part.features
                    try preprocessing.apply(to: &values, featureCount: part.featureCount)
                    return try Examples(features: values, shape: part.shape, targets: part.targets, featureNames: part.featureNames)
                }
                (self.training, self.test) = (try scaled(training), try scaled(test))
                noun = loaded.format == .mnist || loaded.format == .imageFolder ? "images" : "examples"
                takesWhatItHas = loaded.format != .mnist
            } catch {
                throw .invalidOption(flag: "--data", reason: "\(error)")
            }
            name = Self.lastComponent(path)
        }

        /// The parts as grey images, for the experiments that read images row by row.
        /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` naming `--data` unless the
        ///   examples are `H × W` (or `1 × H × W`) values in [0, 1] of at most 256 classes.
        package func images() throws(ExperimentError) -> ImageDataSet {
            let shape = training.shape.count == 3 && training.shape[0] == 1 ? Array(training.shape.dropFirst()) : training.shape
            guard shape.count == 2, let names = training.classNames, names.count <= 256 else {
                throw .invalidOption(
                    flag: "--data",
                    reason: "\(name) holds \(noun) of shape \(training.shape); this experiment needs grey images (H × W), as in an MNIST-format folder or a folder of grey PNG class folders")
            }
            func images(_ part: Examples) throws(ExperimentError) -> LabeledImages {
                guard case let .classes(indices, _) = part.targets else { preconditionFailure("classified examples") }
                do {
                    return try LabeledImages(
                        pixels: part.features, labels: indices.map { UInt8($0) }, rows: shape[0], columns: shape[1], classNames: names)
                } catch {
                    throw .invalidOption(flag: "--data", reason: "\(name): \(error)")
                }
            }
            return ImageDataSet(training: try images(training), test: try images(test), directory: name)
        }

        private static func lastComponent(_ path: String) -> String {
            path.split(separator: "/").last.map(String.init) ?? path
        }
    }

    /// Cuts `source` to `sizes`: holds out `sizes.validation` training examples stratified by
    /// class (seed ``splitSeed``; for Fashion-MNIST the images
    /// ``LabeledImages/heldOutSplit(validationCount:seed:)`` holds out), keeps the first
    /// `sizes.training` of the rest and the first `sizes.test` test examples. A source that
    /// ``Source/takesWhatItHas`` and holds fewer examples than asked for gives what it has:
    /// a twelfth of its training part (at least one) held out, and the rest.
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` naming `--data` when the
    ///   source holds too few examples.
    package init(_ source: Source, sizes: Sizes) throws(ExperimentError) {
        try Self.check(source, sizes: sizes)
        let available = source.training.count
        let validationCount = sizes.training + sizes.validation <= available ? sizes.validation : min(sizes.validation, max(1, available / 12))
        let trainingCount = min(sizes.training, available - validationCount)
        let testCount = min(sizes.test, source.test.count)
        do {
            let split = source.training.split(heldOut: validationCount, seed: Self.splitSeed)
            training = try Self.dataset(split.training.gathering(Array(0..<trainingCount)))
            validation = try Self.dataset(split.heldOut)
            test = testCount > 0 ? try Self.dataset(source.test.gathering(Array(0..<testCount))) : nil
        } catch {
            throw .invalidOption(flag: "--data", reason: "\(error)")
        }
        description = "\(source.name): \(trainingCount) training, \(validationCount) validation"
            + (testCount > 0 ? ", \(testCount) test" : "") + " \(source.noun)"
    }

    /// Whether `source` can be cut to `sizes` (see ``init(_:sizes:)``), without cutting it.
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` naming `--data`.
    package static func check(_ source: Source, sizes: Sizes) throws(ExperimentError) {
        let available = source.training.count
        let fits = sizes.training + sizes.validation <= available && sizes.test <= source.test.count
        guard available >= 2, sizes.training >= 1, sizes.validation >= 1, sizes.test >= 0, fits || source.takesWhatItHas else {
            throw .invalidOption(
                flag: "--data",
                reason: "\(source.name) holds \(available) training and \(source.test.count) test \(source.noun); "
                    + "this experiment needs \(sizes.training) + \(sizes.validation) and \(sizes.test)")
        }
    }

    /// Training, validation and test sets made directly (e.g. synthetic data in tests).
    package init(training: Dataset<Float>, validation: Dataset<Float>, test: Dataset<Float>? = nil, description: String) {
        self.training = training
        self.validation = validation
        self.test = test
        self.description = description
    }

    /// The accuracy of guessing: 1 / ``classCount``; what a diverged run counts as.
    package var chanceAccuracy: Double { 1 / Double(classCount) }

    /// The outputs a classifier of this data has: labels 0 … the largest training label.
    package var classCount: Int { Self.classCount(training) }

    /// The outputs a classifier of `training` has: labels 0 … its largest label.
    package static func classCount(_ training: Dataset<Float>) -> Int { (training.labels?.max() ?? 0) + 1 }

    /// Classified examples as a `count × features` matrix with their class indices.
    static func dataset(_ examples: Examples) throws -> Dataset<Float> {
        guard case let .classes(indices, _) = examples.targets else {
            throw ExperimentError.invalidOption(flag: "--data", reason: "the experiments need class labels")
        }
        let features = try Matrix<Float>(rows: examples.count, columns: examples.featureCount, scalars: examples.features)
        return try Dataset(features: features, labels: indices)
    }

    /// Images as a `count × pixels` feature matrix with integer labels.
    package static func dataset(_ images: LabeledImages) throws -> Dataset<Float> {
        let features = try Matrix<Float>(rows: images.count, columns: images.pixelsPerImage, scalars: images.pixels)
        return try Dataset(features: features, labels: images.labels.map(Int.init))
    }
}
