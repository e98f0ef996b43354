import Activations
import Datasets
import Networks

/// A training and a validation set drawn from an MNIST-format directory (Fashion-MNIST by
/// default), as the experiments use them: pixels in [0, 1], ten classes.
///
/// `trainingSamples + validationSamples` images are drawn without replacement from the
/// 60 000 training images (``LabeledImages/randomSamples(_:seed:)``), then the validation
/// part is held out stratified by class; the same counts and seed give the same sets.
public struct ClassificationSubset: Sendable {
    /// The samples the networks learn from.
    public let training: Dataset<Float>
    /// Held-out samples for the accuracies.
    public let validation: Dataset<Float>
    /// Where the images came from, for the settings: "Fashion-MNIST …, 4096 + 1024 samples".
    public let origin: String

    /// A subset from data already split.
    public init(training: Dataset<Float>, validation: Dataset<Float>, origin: String) {
        self.training = training
        self.validation = validation
        self.origin = origin
    }

    /// Reads `directory` (nil: Debian's Fashion-MNIST) and draws the subset.
    /// - Throws: ``ExperimentError/failed(experiment:reason:)`` naming `experiment` when the
    ///   files cannot be read (the message says to run `make deps` or pass `--data DIR`);
    ///   ``ExperimentError/invalidOption(flag:reason:)`` when the counts do not fit the data.
    public static func load(
        directory: String?, trainingSamples: Int, validationSamples: Int, seed: UInt64 = 2026,
        experiment: String
    ) throws(ExperimentError) -> ClassificationSubset {
        let images: ImageDataSet
        do {
            images = try FashionMNIST.load(directory: directory ?? FashionMNIST.defaultDirectory)
        } catch {
            throw .failed(experiment: experiment, reason: error.description)
        }
        let available = images.training.count
        guard trainingSamples >= 1, validationSamples >= 1, trainingSamples + validationSamples <= available else {
            throw .invalidOption(
                flag: "samples",
                reason: "\(trainingSamples) + \(validationSamples) requested, the data has \(available) training images")
        }
        do {
            let drawn = try images.training.randomSamples(trainingSamples + validationSamples, seed: seed)
            let split = try drawn.heldOutSplit(validationCount: validationSamples, seed: seed)
            return ClassificationSubset(
                training: try dataset(split.training), validation: try dataset(split.validation),
                origin: "\(images.directory): \(trainingSamples) training + \(validationSamples) validation images (seed \(seed))")
        } catch {
            throw .failed(experiment: experiment, reason: "\(error)")
        }
    }

    private static func dataset(_ images: LabeledImages) throws -> Dataset<Float> {
        try Dataset(
            features: try Matrix(rows: images.count, columns: images.pixelsPerImage, scalars: images.pixels),
            labels: images.labels.map(Int.init))
    }
}
