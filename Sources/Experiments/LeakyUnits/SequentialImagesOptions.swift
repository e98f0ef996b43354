import Datasets

/// The sequential Fashion-MNIST task of `rectifier experiment leaky-units`: which images,
/// and the budget every run gets (the same for each leak, activation and seed). Each image
/// is read one row of pixels per step (28 steps of 28 pixels) and classified from the
/// recurrent layer's last state.
package struct SequentialImagesOptions: Sendable, Hashable {
    /// The first this many images of the training files; nil for all of them.
    package var trainingImages: Int?
    /// The first this many images of the test files, scored after training; nil for all.
    package var testImages: Int?
    /// Hidden units of the recurrent layer.
    package var units: Int
    /// Images per training step.
    package var batchSize: Int
    /// Passes over the training images, each in a fresh order drawn from the run's seed.
    package var epochs: Int
    /// Adam's rate (β = 0.9, 0.999).
    package var learningRate: Double
    /// The gradient's Euclidean norm is clipped to this.
    package var maximumGradientNorm: Double

    package init(
        trainingImages: Int?, testImages: Int?, units: Int, batchSize: Int, epochs: Int, learningRate: Double,
        maximumGradientNorm: Double
    ) {
        self.trainingImages = trainingImages
        self.testImages = testImages
        self.units = units
        self.batchSize = batchSize
        self.epochs = epochs
        self.learningRate = learningRate
        self.maximumGradientNorm = maximumGradientNorm
    }

    /// The short version: 64 units, one epoch of the first 6000 training images in batches
    /// of 32, scored on the first 2000 test images.
    package static let short = SequentialImagesOptions(
        trainingImages: 6000, testImages: 2000, units: 64, batchSize: 32, epochs: 1, learningRate: 3e-3,
        maximumGradientNorm: 1)

    /// The long version: 128 units, one epoch of all 60 000 training images in batches of
    /// 64, scored on all 10 000 test images.
    package static let full = SequentialImagesOptions(
        trainingImages: nil, testImages: nil, units: 128, batchSize: 64, epochs: 1, learningRate: 1e-3,
        maximumGradientNorm: 1)

    /// Training steps of one run on `trainingCount` images: `epochs · ⌈trainingCount / batchSize⌉`.
    package func steps(trainingCount: Int) -> Int {
        epochs * ((trainingCount + batchSize - 1) / batchSize)
    }

    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` naming the bad setting.
    package func validate() throws(ExperimentError) {
        for (name, count) in [("training images", trainingImages), ("test images", testImages)] {
            try ExperimentError.require(
                (count ?? 1) >= 1, "sequential images", "\(count ?? 0) \(name) is not allowed (≥ 1, or all)")
        }
        try ExperimentError.require(
            units >= 1 && batchSize >= 1 && epochs >= 1, "sequential images",
            "units, batch size and epochs must be ≥ 1 (\(units), \(batchSize), \(epochs))")
        try ExperimentError.require(
            learningRate > 0 && maximumGradientNorm > 0, "sequential images", "learning rate and maximum gradient norm must be > 0")
    }

    /// The training and test images of `data` this task uses, read one row per step.
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` naming `--data` when the
    ///   files hold fewer images than asked for.
    package func images(from data: ImageDataSet) throws(ExperimentError) -> (training: SequentialImages, test: SequentialImages) {
        func cut(_ images: LabeledImages, _ count: Int?, _ part: String) throws(ExperimentError) -> SequentialImages {
            do {
                return try SequentialImages(count.map { try images.firstSamples($0) } ?? images)
            } catch {
                throw .invalidOption(
                    flag: "--data",
                    reason: "\(data.directory) holds \(images.count) \(part) images; sequential images need \(count ?? images.count)")
            }
        }
        return (try cut(data.training, trainingImages, "training"), try cut(data.test, testImages, "test"))
    }
}
