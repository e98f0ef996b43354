import Activations
import Datasets
import Networks

/// Fashion-MNIST (or any MNIST-format directory) as the trainer's ``Dataset``s, in the sizes
/// an experiment asks for: a stratified validation split held out of the training files,
/// then the first samples of each part (short runs use a few thousand).
package struct ExperimentData: Sendable {
    /// Samples to learn from (`n × 784`, pixels in [0, 1]).
    package let training: Dataset<Float>
    /// Held-out samples from the training files, for validation accuracy.
    package let validation: Dataset<Float>
    /// The test set (only for final figures), or nil when not asked for.
    package let test: Dataset<Float>?
    /// A line for the report: "fashion-mnist: 10000 training, 2000 validation".
    package let description: String

    /// The sizes of one experiment's data.
    package struct Sizes: Hashable, Sendable {
        /// Training samples (≥ 1; at most the training files' count less the validation part).
        package var training: Int
        /// Held-out validation samples (≥ 1).
        package var validation: Int
        /// Test samples (0 for none; at most the test files' count).
        package var test: Int

        package init(training: Int, validation: Int, test: Int = 0) {
            self.training = training
            self.validation = validation
            self.test = test
        }
    }

    /// The validation split's seed: the same images are held out in every experiment.
    package static let splitSeed: UInt64 = 2017

    /// Cuts `images` to `sizes`: holds out `sizes.validation` images stratified by class
    /// (seed ``splitSeed``), keeps the first `sizes.training` of the rest and the first
    /// `sizes.test` test images.
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` naming `--data` when the
    ///   files hold too few images for the sizes.
    package init(_ images: ImageDataSet, sizes: Sizes) throws(ExperimentError) {
        let available = images.training.count
        guard sizes.validation >= 1, sizes.training >= 1, sizes.test >= 0,
            sizes.training + sizes.validation <= available, sizes.test <= images.test.count
        else {
            throw .invalidOption(
                flag: "--data",
                reason: "\(images.directory) holds \(available) training and \(images.test.count) test images; "
                    + "this experiment needs \(sizes.training) + \(sizes.validation) and \(sizes.test)")
        }
        do {
            let split = try images.training.heldOutSplit(validationCount: sizes.validation, seed: Self.splitSeed)
            training = try Self.dataset(split.training.firstSamples(sizes.training))
            validation = try Self.dataset(split.validation)
            test = sizes.test > 0 ? try Self.dataset(images.test.firstSamples(sizes.test)) : nil
        } catch {
            throw .invalidOption(flag: "--data", reason: "\(error)")
        }
        let name = images.directory.split(separator: "/").last.map(String.init) ?? images.directory
        description = "\(name): \(sizes.training) training, \(sizes.validation) validation"
            + (sizes.test > 0 ? ", \(sizes.test) test" : "") + " images"
    }

    /// Training, validation and test sets made directly (e.g. synthetic data in tests).
    package init(training: Dataset<Float>, validation: Dataset<Float>, test: Dataset<Float>? = nil, description: String) {
        self.training = training
        self.validation = validation
        self.test = test
        self.description = description
    }

    /// The accuracy of guessing: 1 / the number of classes (labels 0 … the largest training
    /// label); what a diverged run counts as.
    package var chanceAccuracy: Double { 1 / Double((training.labels?.max() ?? 0) + 1) }

    /// Images as a `count × pixels` feature matrix with integer labels.
    package static func dataset(_ images: LabeledImages) throws -> Dataset<Float> {
        let features = try Matrix<Float>(rows: images.count, columns: images.pixelsPerImage, scalars: images.pixels)
        return try Dataset(features: features, labels: images.labels.map(Int.init))
    }
}
